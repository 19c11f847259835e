import { NOTICE_LINK_SLOT } from '../../lambdas/domain/notices/draft.js';
import { NOTICE_PACKS, noticePack } from '../../lambdas/domain/notices/packs/index.js';
import { addressLines, paperFor } from '../../lambdas/domain/notices/postal-address.js';
import { channelFor, reachOf } from '../../lambdas/domain/notices/reach.js';
import { checkHeader, validateRow, type Recipient } from '../../lambdas/domain/notices/recipients.js';

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

  it('a person with none of these is reported by line, naming no content', () => {
    expect(validateRow({ name: 'Nobody' }, 3, ['en'], people)).toEqual({ ok: false, line: 3, message: 'neither an email address, a phone number nor a postal address' });
    // A phone number for a pack without SMS and no address.
    expect(validateRow({ phone: '+15125550100' }, 4, ['en'], california)).toEqual({ ok: false, line: 4, message: 'no way to give this person the whole notice: it needs an email address or a postal address' });
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
