import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factsFrom } from '../../local/cli/officer.js';
import { incidentFactsSchema } from '../../lambdas/domain/regimes/facts.js';

describe('breachclock facts: from flags or a JSON/YAML file (issue 25.3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'breachclock-facts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns flags into the API\'s facts, which the API\'s own schema accepts', () => {
    const { facts } = factsFrom({ affected: ['EU=3000', 'US-CA=120'], data: ['contact', 'credentials'], people: ['customers'], role: 'processor', controller: ['Shop A:24', 'Shop B'], encrypted: false, source: true });
    expect(facts).toEqual({
      jurisdictions: [{ code: 'EU', affected: 3000 }, { code: 'US-CA', affected: 120 }],
      dataCategories: ['contact', 'credentials'],
      peopleCategories: ['customers'],
      role: 'processor',
      controllers: [{ name: 'Shop A', contractualHours: 24 }, { name: 'Shop B' }],
      encryption: { encrypted: false, keyCompromised: false },
      weWereTheSource: true,
    });
    expect(incidentFactsSchema().safeParse(facts).success).toBe(true);
  });

  it('reads a YAML or JSON file, flags over the file; says what is wrong with a bad one', () => {
    const yaml = join(dir, 'facts.yaml');
    writeFileSync(yaml, 'jurisdictions:\n  - code: EU\n    affected: 10\ndataCategories: [health]\nrole: controller\n');
    expect(factsFrom({ file: yaml, role: 'processor' }).facts).toEqual({ jurisdictions: [{ code: 'EU', affected: 10 }], dataCategories: ['health'], role: 'processor' });
    const json = join(dir, 'facts.json');
    writeFileSync(json, '{"dataCategories": ["contact"]');
    expect(() => factsFrom({ file: json })).toThrow(/facts\.json is not a facts JSON file/);
    writeFileSync(json, '[1, 2]');
    expect(() => factsFrom({ file: json })).toThrow(/one object of facts/);
    expect(() => factsFrom({ file: join(dir, 'missing.json') })).toThrow(/cannot read/);
  });

  it('refuses a malformed count and an empty command with the usage exit code', () => {
    expect(() => factsFrom({ affected: ['EU:3000'] })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/CODE=people/) }));
    expect(() => factsFrom({})).toThrow(/no facts given/);
    expect(factsFrom({ remove: ['sectors.nis2'] })).toEqual({ facts: {}, remove: ['sectors.nis2'] });
  });
});
