// Writes the rule-pack section of docs/regimes.md from the packs themselves: npx tsx scripts/regimes-table.ts
// (a test checks the document says exactly what this prints).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeDeadline } from '../lambdas/domain/regimes/deadline-time.js';
import { RULE_PACKS } from '../lambdas/domain/regimes/packs/index.js';
import type { Obligation, RulePack } from '../lambdas/domain/regimes/rule-pack.js';

export const SECTION = '## Rule packs\n';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function due(pack: RulePack, o: Obligation): string {
  if (pack.perController) return `each controller's contractual hours, else ${pack.perController.defaultHours} hours, after \`awareAt\``;
  return o.clocks
    .map((c) => {
      if (c.notLaterThan) return `no later than \`${c.notLaterThan}\``;
      const rule = c.deadline ? describeDeadline(c.deadline) : `${c.prompt} (no legal deadline: our target)`;
      return `${rule} after ${c.trigger ? `\`${c.trigger}\`` : `the submission of \`${c.afterSubmissionOf}\``}${c.afterHours ? ` + ${c.afterHours} h` : ''}${c.entityZone ? ' (in `entityTimeZone` when recorded)' : ''}`;
    })
    .join(', or ');
}

function threshold(o: Obligation): string {
  return [
    o.whenAffectedAbove ? `more than ${o.whenAffectedAbove.count} in ${o.whenAffectedAbove.inAnyOneState ? `any one state of ${o.whenAffectedAbove.jurisdiction}` : o.whenAffectedAbove.jurisdiction}` : undefined,
    o.whenAffectedAtLeast ? `${o.whenAffectedAtLeast.count} or more in ${o.whenAffectedAtLeast.jurisdiction}` : undefined,
    o.whenAffectedAtMost ? `at most ${o.whenAffectedAtMost.count} in ${o.whenAffectedAtMost.jurisdiction}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

function applies(pack: RulePack): string {
  return [
    pack.appliesWhen.anyJurisdiction ? `people in ${pack.appliesWhen.anyJurisdiction.join(' or ')}` : undefined,
    pack.appliesWhen.roles ? `as ${pack.appliesWhen.roles.join(' or ')}` : undefined,
    pack.appliesWhen.sector ? `sector flag ${pack.appliesWhen.sector}` : undefined,
    pack.appliesWhen.dataCategories ? `data categories ${pack.appliesWhen.dataCategories.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** One row per pack: jurisdiction, law, each obligation's deadline, thresholds, recipients, source, checked on, confidence. */
function coverageTable(): string[] {
  const out = ['### Coverage\n', `${RULE_PACKS.length} packs.\n`, '| jurisdiction | law | deadline | thresholds | recipients | source | checked on | confidence |', '|---|---|---|---|---|---|---|---|'];
  for (const pack of RULE_PACKS) {
    const deadlines = pack.obligations.map((o) => (pack.obligations.length > 1 ? `${o.id}: ${due(pack, o)}` : due(pack, o))).join('; ');
    const thresholds = pack.obligations.map((o) => (threshold(o) ? `${o.recipient}: ${threshold(o)}` : undefined)).filter(Boolean).join('; ');
    out.push(
      `| ${cell(pack.appliesWhen.anyJurisdiction?.join(', ') ?? (pack.appliesWhen.sector ? `sector ${pack.appliesWhen.sector}` : 'any'))} | ${cell(pack.name)} | ${cell(deadlines)} | ${cell(thresholds || '-')} | ${cell(
        [...new Set(pack.obligations.map((o) => o.recipient))].join('; '),
      )} | ${cell(pack.legalSource)} | ${pack.checkedOn} | ${pack.confidence} |`,
    );
  }
  return out;
}

export function rulePackSection(): string {
  const out: string[] = [SECTION, ...coverageTable(), ''];
  for (const pack of RULE_PACKS) {
    out.push(`### ${pack.name} (\`${pack.id}\`, ${pack.version})\n`);
    out.push(`Source: ${pack.legalSource}. Applies to: ${applies(pack) || 'every incident'}.${pack.inForceFrom ? ` In force for triggers from ${pack.inForceFrom}.` : ''}\n`);
    out.push(`Checked on ${pack.checkedOn}; confidence: ${pack.confidence}${pack.confidenceNote ? ` (${pack.confidenceNote})` : ''}.\n`);
    if (pack.encryptionSafeHarbour) out.push(`Encryption safe harbour: ${pack.encryptionSafeHarbour}.\n`);
    if (pack.riskOfHarmException) out.push(`Risk-of-harm exception (document the decision with \`dismiss-regime\`): ${pack.riskOfHarmException}.\n`);
    out.push('| obligation | to | due | source | channel |\n|---|---|---|---|---|');
    for (const o of pack.obligations) {
      const cond = [threshold(o), o.roles ? `as ${o.roles.join(' or ')}` : ''].filter(Boolean).map((c) => ` (only ${c})`).join('');
      out.push(`| ${cell(o.label + cond)} | ${cell(o.recipient)} | ${cell(due(pack, o))} | ${cell(o.source ?? '-')} | ${cell(o.channel ? `${o.channel.kind}${o.channel.value ? `: ${o.channel.value}` : ''}` : '-')} |`);
    }
    const listed = pack.obligations.filter((o) => o.contents);
    if (listed.length) out.push(`\nContents required (the research's words, item by item):\n${listed.map((o) => `- \`${o.id}\`: ${o.contents!.join('; ')}${o.contentsNote ? ` (${o.contentsNote})` : ''}`).join('\n')}`);
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
