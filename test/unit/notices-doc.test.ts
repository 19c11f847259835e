import { readFileSync } from 'node:fs';
import { NOTICE_PACKS } from '../../lambdas/domain/notices/packs/index.js';
import { END, noticeElementSection, START } from '../../scripts/notices-table.js';

describe('docs/notices.md: the elements of each pack', () => {
  const doc = readFileSync(new URL('../../docs/notices.md', import.meta.url), 'utf8');

  it('says exactly what the packs say (regenerate with npx tsx scripts/notices-table.ts)', () => {
    expect(doc.slice(doc.indexOf(START), doc.indexOf(END) + END.length)).toBe(noticeElementSection());
  });

  it('lists every pack with every element, its condition and legal source', () => {
    const section = noticeElementSection();
    for (const pack of NOTICE_PACKS) {
      expect(section).toContain(`(\`${pack.kind}\`, ${pack.version})`);
      for (const element of pack.elements) expect(section).toContain(`| \`${element.id}\` | ${element.label.replace(/\|/g, '\\|')} |`);
    }
  });

  it('would fail for a pack that changed: a different section is generated', () => {
    const changed = NOTICE_PACKS.map((pack, i) => (i === 0 ? { ...pack, elements: pack.elements.slice(1) } : pack));
    expect(noticeElementSection(changed)).not.toBe(noticeElementSection());
  });
});
