// Prints the rule-pack table of docs/regimes.md from the packs themselves: npx tsx scripts/regimes-table.ts
import { describeDeadline } from '../lambdas/domain/regimes/deadline-time.js';
import { RULE_PACKS } from '../lambdas/domain/regimes/packs/index.js';

for (const pack of RULE_PACKS) {
  const applies = [
    pack.appliesWhen.anyJurisdiction ? `people in ${pack.appliesWhen.anyJurisdiction.join(' or ')}` : undefined,
    pack.appliesWhen.roles ? `as ${pack.appliesWhen.roles.join(' or ')}` : undefined,
    pack.appliesWhen.sector ? `sector flag ${pack.appliesWhen.sector}` : undefined,
  ].filter(Boolean).join(', ');
  console.log(`### ${pack.name} (\`${pack.id}\`, ${pack.version})\n`);
  console.log(`Source: ${pack.legalSource}. Applies to: ${applies || 'every incident'}.\n`);
  console.log('| obligation | to | due |\n|---|---|---|');
  for (const o of pack.obligations) {
    const when = o.clocks.map((c) => `${describeDeadline(c.deadline)} after \`${c.trigger}\`${c.afterHours ? ` + ${c.afterHours} h` : ''}`).join(', or ');
    const cond = o.whenAffectedAbove ? ` (only above ${o.whenAffectedAbove.count} in ${o.whenAffectedAbove.jurisdiction})` : '';
    console.log(`| ${o.label}${cond} | ${o.recipient} | ${pack.perController ? `each controller's contractual hours, else ${pack.perController.defaultHours} hours, after \`awareAt\`` : when} |`);
  }
  console.log(`\nAssumptions:\n${pack.assumptions.map((a) => `- ${a}`).join('\n')}\n`);
}
