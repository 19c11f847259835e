import { readFileSync } from 'node:fs';
import { SECTION, templatesSection } from '../../scripts/tasks-table.js';

describe('docs/tasks.md', () => {
  it('shows exactly the default templates (regenerate with npx tsx scripts/tasks-table.ts)', () => {
    const doc = readFileSync(new URL('../../docs/tasks.md', import.meta.url), 'utf8');
    expect(doc.slice(doc.indexOf(SECTION))).toBe(templatesSection());
  });
});
