// Writes the default-templates section of docs/tasks.md from the templates themselves: npx tsx scripts/tasks-table.ts
// (a test checks the document says exactly what this prints).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultTaskTemplates, type TaskTemplate } from '../lambdas/domain/tasks/templates.js';

export const SECTION = '## The default templates\n';

function table(prefix: string, tasks: readonly TaskTemplate[]): string {
  const rows = tasks.map((t) => `| \`${prefix}.${t.id}\` | ${t.title} | ${t.phase} | ${t.role} | ${t.due ? `${t.due.after} after \`${t.due.from}\`` : '-'} | ${t.blocksClose ? 'yes' : ''} |`);
  return ['| task id | task | phase | role | due | blocks closing |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function templatesSection(): string {
  const templates = defaultTaskTemplates();
  const out: string[] = [SECTION, '### Every incident\n', table('common', templates.common), ''];
  for (const [kind, value] of Object.entries(templates.kinds)) {
    out.push(`### Kind \`${kind}\`: ${value.label}\n`, `Chosen at opening when the alert's category, title or alert name contains: ${value.keywords.map((k) => `"${k}"`).join(', ')}.\n`, table(kind, value.tasks), '');
  }
  for (const [regime, tasks] of Object.entries(templates.regimes)) out.push(`### Regime \`${regime}\` (added while it applies)\n`, table(regime, tasks), '');
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = new URL('../docs/tasks.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  writeFileSync(file, doc.slice(0, doc.indexOf(SECTION)) + templatesSection());
  console.log('docs/tasks.md: default templates rewritten');
}
