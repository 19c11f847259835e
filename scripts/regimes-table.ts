// Writes the rule-pack section of docs/regimes.md from the packs themselves: npx tsx scripts/regimes-table.ts
// (a test checks the document says exactly what this prints).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeDeadline } from '../lambdas/domain/regimes/deadline-time.js';
import { RULE_PACKS } from '../lambdas/domain/regimes/packs/index.js';

export const SECTION = '## Rule packs\n';

export function rulePackSection(): string {
  const out: string[] = [SECTION];
  for (const pack of RULE_PACKS) {
    const applies = [
      pack.appliesWhen.anyJurisdiction ? `people in ${pack.appliesWhen.anyJurisdiction.join(' or ')}` : undefined,
      pack.appliesWhen.roles ? `as ${pack.appliesWhen.roles.join(' or ')}` : undefined,
      pack.appliesWhen.sector ? `sector flag ${pack.appliesWhen.sector}` : undefined,
    ].filter(Boolean).join(', ');
    out.push(`### ${pack.name} (\`${pack.id}\`, ${pack.version})\n`);
    out.push(`Source: ${pack.legalSource}. Applies to: ${applies || 'every incident'}.${pack.inForceFrom ? ` In force for triggers from ${pack.inForceFrom}.` : ''}\n`);
    out.push('| obligation | to | due |\n|---|---|---|');
    for (const o of pack.obligations) {
      const when = o.clocks
        .map((c) => `${describeDeadline(c.deadline)} after ${c.trigger ? `\`${c.trigger}\`` : `the submission of \`${c.afterSubmissionOf}\``}${c.afterHours ? ` + ${c.afterHours} h` : ''}${c.entityZone ? ' (in `entityTimeZone` when recorded)' : ''}`)
        .join(', or ');
      const cond = o.whenAffectedAbove
        ? ` (only above ${o.whenAffectedAbove.count} in ${o.whenAffectedAbove.jurisdiction})`
        : o.whenAffectedAboveInOne
          ? ` (only above ${o.whenAffectedAboveInOne.count} in one jurisdiction of ${o.whenAffectedAboveInOne.within})`
          : '';
      out.push(`| ${o.label}${cond} | ${o.recipient} | ${pack.perController ? `each controller's contractual hours, else ${pack.perController.defaultHours} hours, after \`awareAt\`` : when} |`);
    }
    out.push(`\nAssumptions:\n${pack.assumptions.map((a) => `- ${a}`).join('\n')}\n`);
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = new URL('../docs/regimes.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  writeFileSync(file, doc.slice(0, doc.indexOf(SECTION)) + rulePackSection());
  console.log('docs/regimes.md: rule packs rewritten');
}
