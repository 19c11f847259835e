import { jurisdictionCounts } from '../../lambdas/domain/regimes/jurisdiction-counts.js';
import { RULE_PACKS } from '../../lambdas/domain/regimes/packs/index.js';

describe('per-jurisdiction counts (issue 28.6)', () => {
  it('no facts recorded: no rows (the clocks\' assumed EU is not shown as a fact)', () => {
    expect(jurisdictionCounts(RULE_PACKS, undefined)).toEqual([]);
    expect(jurisdictionCounts(RULE_PACKS, { dataCategories: ['contact'] })).toEqual([]);
  });

  it('residents in CA, TX, FL and MA: each state\'s law, and each threshold crossed or short by how many', () => {
    const rows = jurisdictionCounts(RULE_PACKS, {
      jurisdictions: [{ code: 'US-CA', affected: 501 }, { code: 'US-TX', affected: 250 }, { code: 'US-FL', affected: 499 }, { code: 'US-MA', affected: 3 }],
      dataCategories: ['government-id'],
      role: 'controller',
    });
    const summary = rows.map((row) => [row.code, row.affected, row.regimes.map((r) => r.regime), row.thresholds.map((t) => `${t.obligation} ${t.rule}: ${t.crossed ? 'crossed' : `${-t.margin} short`}`)]);
    expect(summary).toEqual([
      ['US-CA', 501, ['california-1798-82'], ['attorney-general more than 500: crossed']],
      ['US-TX', 250, ['us-tx-breach'], ['attorney-general at least 250: crossed', 'consumer-reporting-agencies more than 10,000: 9751 short']],
      ['US-FL', 499, ['us-fl-breach'], ['attorney-general at least 500: 1 short', 'consumer-reporting-agencies more than 1,000: 502 short']],
      ['US-MA', 3, ['us-ma-breach'], []],
    ]);
  });

  it('HIPAA counts the US together for HHS and the busiest state for the media: a US row of its own', () => {
    const rows = jurisdictionCounts(RULE_PACKS, { jurisdictions: [{ code: 'US-CA', affected: 400 }, { code: 'US-TX', affected: 300 }], sectors: { hipaaCoveredEntity: true } });
    const us = rows.find((row) => row.code === 'US')!;
    expect(us.affected).toBe(700);
    expect(us.thresholds.map((t) => [t.obligation, t.rule, t.affected, t.crossed])).toEqual([
      ['hhs-notice', 'at least 500', 700, true],
      ['media-notice', 'more than 500 in any one state', 400, false],
    ]);
  });
});
