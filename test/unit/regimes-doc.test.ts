import { readFileSync } from 'node:fs';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';

describe('docs/regimes.md', () => {
  it('lists every rule pack with its version and legal source (regenerate with scripts/regimes-table.ts)', () => {
    const doc = readFileSync(new URL('../../docs/regimes.md', import.meta.url), 'utf8');
    for (const pack of RULE_PACKS) {
      expect(doc).toContain(`(\`${pack.id}\`, ${pack.version})`);
      expect(doc).toContain(pack.legalSource);
    }
  });
});
