import { readFileSync } from 'node:fs';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';
import { rulePackSection, SECTION } from '../../scripts/regimes-table.js';

describe('docs/regimes.md', () => {
  const doc = readFileSync(new URL('../../docs/regimes.md', import.meta.url), 'utf8');

  it('lists every rule pack with its version and legal source', () => {
    for (const pack of RULE_PACKS) {
      expect(doc).toContain(`(\`${pack.id}\`, ${pack.version})`);
      expect(doc).toContain(pack.legalSource);
    }
  });

  it('says exactly what the packs say (regenerate with npx tsx scripts/regimes-table.ts)', () => {
    expect(doc.slice(doc.indexOf(SECTION))).toBe(rulePackSection());
  });
});
