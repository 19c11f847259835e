import { NOTICE_LINK_SLOT } from '../../lambdas/domain/notices/notice-link.js';
import { NOTICE_PACKS, noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { addressLines, paperFor } from '../../lambdas/domain/notices/postal-address.js';
import { channelFor, reachOf } from '../../lambdas/domain/notices/reach.js';
import { checkHeader, validateRow, type Recipient } from '../../lambdas/domain/notices/recipients.js';
import { packForNotice, variantObligation } from '../../lambdas/domain/notices/us-variants.js';
import { RESEARCH_FILE, usEmailRules, usEmailRulesModule } from '../../scripts/us-email-rules.js';
import { usEmailRules as generated } from '../../lambdas/domain/notices/packs/us-email-rules.data.js';
import { readFileSync } from 'node:fs';

const people = reachOf(noticePack('gdpr-people')!);
const hipaa = reachOf(noticePack('hipaa-individual')!);
const california = reachOf(noticePack('california-resident')!);
const US_ADDRESS = { address1: '1 Main St', address2: 'Apt 4', city: 'Austin', state: 'TX', postcode: '78701', country: 'us' };
const DE_ADDRESS = { address1: 'Hauptstraße 1', city: 'Berlin', postcode: '10115', country: 'DE' };

const valid = (row: Record<string, string>, reach = people): Recipient => {
  const result = validateRow(row, 2, ['en'], reach);
  if (!result.ok) throw new Error(result.message);
  return result.recipient;
};

describe('every person gets the whole notice through one channel (issue 26.5)', () => {
  it('the SMS to a person without email links to the notice and never says an email was sent (the reported defect)', () => {
    for (const pack of NOTICE_PACKS.filter((p) => p.channels.includes('sms'))) {
      for (const language of pack.languages) {
        const sms = pack.templates[language]!.sms!;
        expect([pack.kind, language, sms.includes('{{noticeLink}}')]).toEqual([pack.kind, language, true]);
        expect([pack.kind, language, sms]).not.toEqual([pack.kind, language, expect.stringMatching(/e-?mail/i)]);
      }
    }
    expect(NOTICE_LINK_SLOT).toBe('{notice-link}');
  });

  it('picks email, else an SMS with the link, else a letter', () => {
    expect(channelFor(valid({ email: 'A@Example.com', phone: '+491701234567' }), people)).toEqual({ channel: 'email', address: 'a@example.com' });
    expect(channelFor(valid({ phone: '+491701234567' }), people)).toEqual({ channel: 'sms', address: '+491701234567' });
    expect(channelFor(valid({ name: 'Eva Muster', ...DE_ADDRESS }), people)).toMatchObject({ channel: 'letter' });
    // A US pack has no SMS: a phone and an address → a letter.
    expect(channelFor(valid({ phone: '+15125550100', name: 'Al', ...US_ADDRESS }, california), california)).toMatchObject({ channel: 'letter' });
  });

  it('HIPAA: email only with consent to electronic notice (45 CFR 164.404(d)(1)(i)), otherwise first-class mail', () => {
    expect(noticePack('hipaa-individual')!.emailNeedsConsent).toBe('45 CFR 164.404(d)(1)(i)');
    expect(channelFor(valid({ email: 'a@example.com', 'electronic-consent': 'yes' }, hipaa), hipaa)).toEqual({ channel: 'email', address: 'a@example.com' });
    expect(channelFor(valid({ email: 'a@example.com', 'electronic-consent': 'no', name: 'Al', ...US_ADDRESS }, hipaa), hipaa)).toMatchObject({ channel: 'letter' });
    expect(channelFor(valid({ email: 'a@example.com', name: 'Al', ...US_ADDRESS }, hipaa), hipaa)).toMatchObject({ channel: 'letter' });
    const refused = validateRow({ email: 'a@example.com' }, 7, ['en'], hipaa);
    expect(refused).toEqual({ ok: false, line: 7, message: expect.stringContaining('consent to electronic notice') });
    expect(validateRow({ email: 'a@example.com', 'electronic-consent': 'perhaps' }, 8, ['en'], hipaa)).toEqual({ ok: false, line: 8, column: 'electronic-consent', message: 'electronic-consent is not yes or no' });
  });

  it('California: email only with consent under E-SIGN (1798.82(j)(2)); without it a letter, never an email (the reported gap)', () => {
    expect(noticePack('california-resident')!.emailNeedsConsent).toMatch(/^US-CA Cal\. Civ\. Code § 1798\.82\(j\)\(2\): email only if consistent with E-SIGN/);
    expect(channelFor(valid({ email: 'a@example.com', 'electronic-consent': 'yes' }, california), california)).toEqual({ channel: 'email', address: 'a@example.com' });
    expect(channelFor(valid({ email: 'a@example.com', name: 'Al', address1: '1 Main St', city: 'Fresno', state: 'CA', postcode: '93650', country: 'US' }, california), california)).toMatchObject({ channel: 'letter' });
    expect(validateRow({ email: 'a@example.com' }, 9, ['en'], california)).toEqual({ ok: false, line: 9, message: expect.stringContaining('1798.82(j)(2)') });
  });

  it('US resident variants: each person\'s own state decides (Texas: E-SIGN consent; Florida: email allowed; Ohio: primary method)', () => {
    const base = noticePack('us-resident')!;
    const variant = reachOf(packForNotice(base, variantObligation(['US-FL', 'US-TX'])));
    const row = (region: string, extra: Record<string, string> = {}) => ({ email: 'p@example.com', region, name: 'Pat', address1: '1 Main St', city: 'Austin', state: 'TX', postcode: '78701', country: 'US', ...extra });
    expect(channelFor(valid(row('US-FL'), variant), variant)).toEqual({ channel: 'email', address: 'p@example.com' });
    expect(channelFor(valid(row('US-TX'), variant), variant)).toMatchObject({ channel: 'letter' });
    expect(channelFor(valid(row('US-TX', { 'electronic-consent': 'yes' }), variant), variant)).toMatchObject({ channel: 'email' });
    // No region: the postal address's state (TX) decides; neither: every covered state's rule must allow it.
    const noRegion = { email: 'p@example.com', name: 'Pat', address1: '1 Main St', city: 'Austin', state: 'TX', postcode: '78701', country: 'US' };
    expect(channelFor(valid(noRegion, variant), variant)).toMatchObject({ channel: 'letter' });
    expect(validateRow({ email: 'p@example.com' }, 4, ['en'], variant)).toEqual({ ok: false, line: 4, message: expect.stringContaining('US-TX Tex. Bus. & Com. Code § 521.053(e)') });
    expect(channelFor(valid({ email: 'p@example.com', 'electronic-consent': 'yes' }, variant), variant)).toMatchObject({ channel: 'email' });
    // Ohio allows email where it is the business's primary way of talking to the person (email-primary column).
    const ohio = reachOf(packForNotice(base, variantObligation(['US-OH'])));
    expect(channelFor(valid(row('US-OH', { 'email-primary': 'yes' }), ohio), ohio)).toMatchObject({ channel: 'email' });
    expect(channelFor(valid(row('US-OH', { 'electronic-consent': 'yes' }), ohio), ohio)).toMatchObject({ channel: 'letter' });
    expect(validateRow({ email: 'p@example.com', 'email-primary': 'often' }, 5, ['en'], ohio)).toEqual({ ok: false, line: 5, column: 'email-primary', message: 'email-primary is not yes or no' });
  });

  it('the state email rules are the generator\'s output of the committed research, one per US code, each with its source', () => {
    expect(readFileSync(new URL('../../lambdas/domain/notices/packs/us-email-rules.data.ts', import.meta.url), 'utf8')).toBe(usEmailRulesModule());
    const research = JSON.parse(readFileSync(RESEARCH_FILE, 'utf8'));
    expect(generated).toEqual(usEmailRules(research));
    expect(Object.keys(generated.byState)).toHaveLength(54);
    for (const law of Object.values(generated.byState)) expect(law.source).toMatch(/^US-[A-Z]{2} \S.+: (email|needs)/);
    // A state whose clause was not found is read as needing consent, and says so.
    expect(generated.byState['US-VI']).toEqual({ rule: 'consent', source: expect.stringContaining('not found: treated as needing consent') });
  });

  it('a person with none of these is reported by line, naming no content', () => {
    expect(validateRow({ name: 'Nobody' }, 3, ['en'], people)).toEqual({ ok: false, line: 3, message: 'neither an email address, a phone number nor a postal address' });
    // A phone number for a pack without SMS and no address.
    expect(validateRow({ phone: '+15125550100' }, 4, ['en'], california)).toEqual({ ok: false, line: 4, message: 'no way to give this person the whole notice: it needs an email address the law lets us use or a postal address' });
  });

  it('validates postal addresses by line and column', () => {
    const problem = (row: Record<string, string>) => {
      const result = validateRow(row, 5, ['en'], people);
      return result.ok ? undefined : result.message;
    };
    expect(problem({ address1: '1 Main St', city: 'Austin', postcode: '78701', country: 'US' })).toBe('a US address needs its state as a two-letter postal abbreviation (e.g. TX)');
    expect(problem({ ...US_ADDRESS, postcode: '787' })).toBe('postcode is not a US postal code');
    expect(problem({ ...DE_ADDRESS, country: 'XX' })).toBe('country is not an ISO 3166-1 code (e.g. US, DE)');
    expect(problem({ ...DE_ADDRESS, city: '' })).toBe('a postal address needs a city');
    expect(problem({ ...DE_ADDRESS, address1: 'x'.repeat(61) })).toBe('address1 longer than 60 characters (it must fit an envelope window)');
    expect(problem({ ...DE_ADDRESS, postcode: '' })).toBe('a DE address needs its postcode');
    expect(checkHeader(['name', 'address1', 'city', 'postcode', 'country'])).toBeUndefined();
    expect(checkHeader(['name', 'city'])).toBe('the header needs an email, a phone or an address1 column');
  });

  it('writes the address block in the country\'s order and picks the paper', () => {
    const us = valid({ name: 'Al Smith', ...US_ADDRESS });
    expect(addressLines(us.name, us.postal!)).toEqual(['Al Smith', '1 Main St', 'Apt 4', 'AUSTIN TX 78701']);
    expect(paperFor(us.postal!)).toBe('us-letter');
    const de = valid({ name: 'Eva Muster', ...DE_ADDRESS });
    expect(addressLines(de.name, de.postal!, 'US')).toEqual(['Eva Muster', 'Hauptstraße 1', '10115 Berlin', 'GERMANY']);
    expect(paperFor(de.postal!)).toBe('a4');
  });
});
