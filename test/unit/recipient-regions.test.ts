import { checkHeader, regionJurisdiction, validateRow } from '../../lambdas/domain/notices/recipients.js';

const EMAIL = { email: true, sms: false, letter: false };

describe("a recipient list's region column (issue 28.1)", () => {
  it.each([
    ['US-TX', 'US-TX'],
    ['us-tx', 'US-TX'],
    [' US_CA ', 'US-CA'],
    ['CA-QC', 'CA-QC'],
    ['DE', 'EU'],
    ['gr', 'EU'],
    ['GB', 'UK'],
    ['UK', 'UK'],
    ['eu', 'EU'],
    ['KR', 'KR'],
    ['BR', 'BR'],
    ['PR', 'US-PR'],
    ['MX', 'OTHER'],
    ['FR-75', 'EU'],
    ['US', 'US'],
  ])('%s counts for %s', (value, jurisdiction) => {
    expect(regionJurisdiction(value)).toMatchObject({ jurisdiction });
  });

  it('a bare code that is also a US postal abbreviation is the country, and says so', () => {
    expect(regionJurisdiction('DE')).toEqual({ jurisdiction: 'EU', looksLikeUsState: 'DE' });
    expect(regionJurisdiction('CA')).toEqual({ jurisdiction: 'CA', looksLikeUsState: 'CA' });
    expect(regionJurisdiction('KR')).toEqual({ jurisdiction: 'KR' });
  });

  it.each([
    ['TX', 'a US state is written as its ISO 3166-2 code, US-TX'],
    ['DC', 'a US state is written as its ISO 3166-2 code, US-DC'],
    ['US-XX', 'is not a US state or territory breachclock knows'],
    ['CA-ON', 'is not a Canadian province breachclock knows'],
    ['Texas', 'is not an ISO 3166-1 country code'],
    ['ZZ', 'is not an ISO 3166-1 country code'],
  ])('%s is refused: %s', (value, message) => {
    const answer = regionJurisdiction(value);
    expect('problem' in answer && answer.problem).toContain(message);
  });

  it('the column is accepted in the header; a row with a bad region is refused with its line, a row without one is valid', () => {
    expect(checkHeader(['email', 'name', 'Region'])).toBeUndefined();
    expect(validateRow({ email: 'a@example.com', region: 'Texas' }, 4, ['en'], EMAIL)).toEqual({ ok: false, line: 4, column: 'region', message: expect.stringContaining('"TEXAS" is not an ISO 3166-1') });
    expect(validateRow({ email: 'a@example.com', region: 'US-TX' }, 5, ['en'], EMAIL)).toEqual({ ok: true, recipient: { line: 5, email: 'a@example.com', region: 'US-TX' } });
    expect(validateRow({ email: 'a@example.com', region: '' }, 6, ['en'], EMAIL)).toEqual({ ok: true, recipient: { line: 6, email: 'a@example.com' } });
  });
});
