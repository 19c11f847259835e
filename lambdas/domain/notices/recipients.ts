import { createHash } from 'node:crypto';
import { JURISDICTIONS, type Jurisdiction } from '../regimes/facts.js';
import { LANGUAGES, type Language } from './notice-pack.js';
import { ADDRESS_COLUMNS, hasAddress, parsePostalAddress, type PostalAddress } from './postal-address.js';
import { channelFor, unreachable, type PersonChannel, type Reach } from './reach.js';

/**
 * One affected person (or, for a processor's notice, one controller's contact), as read from the uploaded
 * CSV. Columns (header row, case-insensitive): email, phone, name, language, region, electronic-consent, email-primary and the
 * postal address (address1, address2, city, state, postcode, country); each row needs a way to give the person
 * the whole notice (an email, a phone number for an SMS linking to the notice page, or a postal address for a
 * letter: `channelFor`). `region` is where the person lives (an ISO 3166-1 country or an ISO 3166-2 subdivision such as US-TX):
 * the list's counts per jurisdiction are reported for the officer to confirm as facts, never recorded by
 * themselves (issue 28.1).
 */
export interface Recipient {
  /** 1-based line number in the file (the header is line 1): errors and records point at it, never at content. */
  readonly line: number;
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly language?: Language;
  /** The jurisdiction of the facts the region column names (DE → EU, GB → UK, a country with no law of its own here → OTHER). */
  readonly region?: Jurisdiction;
  /** A bare two-letter region that is also a US state's postal abbreviation (read as the country: DE is Germany). */
  readonly regionLooksLikeUsState?: string;
  /** The postal address, for a letter (issue 26.5). */
  readonly postal?: PostalAddress;
  /** The electronic-consent column: whether the person agreed to electronic notice (HIPAA 164.404(d)(1)(i)). */
  readonly electronicConsent?: boolean;
  /** The email-primary column: email is the business's primary way of communicating with the person (some US states' email rule). */
  readonly emailPrimary?: boolean;
}

/** A refused row: its line, the column at fault where one is (none when the row as a whole is), and why. */
export type RowResult = { readonly ok: true; readonly recipient: Recipient } | { readonly ok: false; readonly line: number; readonly column?: RecipientColumn; readonly message: string };

export const RECIPIENT_COLUMNS = ['email', 'phone', 'name', 'language', 'region', 'electronic-consent', 'email-primary', ...ADDRESS_COLUMNS] as const;
export type RecipientColumn = (typeof RECIPIENT_COLUMNS)[number];

/** The EU's 27 member states (ISO 3166-1 alpha-2; Greece as GR): the GDPR's jurisdiction EU in the facts. */
const EU_MEMBER_STATES = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' '));
/** Every officially assigned ISO 3166-1 alpha-2 code. */
const ISO_3166_1 = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL ' +
    'CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU ' +
    'GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC ' +
    'MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT ' +
    'PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA ' +
    'UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '),
);
/** US territories with their own ISO 3166-1 code and their own breach law here (ISO 3166-2:US also lists them). */
const US_TERRITORIES: Readonly<Record<string, Jurisdiction>> = { PR: 'US-PR', GU: 'US-GU', VI: 'US-VI' };
/** US postal abbreviations that are also ISO 3166-1 countries: a bare one is read as the country, with a warning. */
const US_STATE_ABBREVIATIONS = new Set(JURISDICTIONS.filter((j) => j.startsWith('US-')).map((j) => j.slice(3)));

/**
 * The jurisdiction of the facts a region value names, or why it names none. ISO 3166-2 codes the facts know
 * (US-TX, CA-QC) as they are; an EU member state → EU; GB → UK; PR, GU, VI → their US codes; any other
 * assigned country → itself when the facts know it, else OTHER. A subdivision the facts do not know (US-XX,
 * DE-BY) is refused: its country's law may need its own code.
 */
export function regionJurisdiction(value: string): { jurisdiction: Jurisdiction; looksLikeUsState?: string } | { problem: string } {
  const code = value.trim().toUpperCase().replace(/_/g, '-');
  const known = (JURISDICTIONS as readonly string[]).includes(code) ? (code as Jurisdiction) : undefined;
  if (code.includes('-')) {
    if (known) return { jurisdiction: known };
    const country = code.slice(0, 2);
    if (country === 'US' || country === 'CA') return { problem: `region "${code.slice(0, 10)}" is not a ${country === 'US' ? 'US state or territory' : 'Canadian province'} breachclock knows (ISO 3166-2, e.g. ${country === 'US' ? 'US-TX' : 'CA-QC'})` };
    if (ISO_3166_1.has(country) && /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code)) return regionJurisdiction(country);
    return { problem: `region "${code.slice(0, 10)}" is not an ISO 3166-2 code (e.g. US-TX)` };
  }
  if (code === 'EU' || code === 'UK') return { jurisdiction: code }; // the facts' own codes (exceptionally reserved in ISO 3166-1)
  if (!ISO_3166_1.has(code) && US_STATE_ABBREVIATIONS.has(code)) return { problem: `region "${code}": a US state is written as its ISO 3166-2 code, US-${code}` };
  if (!ISO_3166_1.has(code)) return { problem: `region "${code.slice(0, 10)}" is not an ISO 3166-1 country code (e.g. DE) or an ISO 3166-2 code (e.g. US-TX)` };
  const looksLikeUsState = US_STATE_ABBREVIATIONS.has(code) && !US_TERRITORIES[code] ? code : undefined;
  const jurisdiction: Jurisdiction = US_TERRITORIES[code] ?? (EU_MEMBER_STATES.has(code) ? 'EU' : code === 'GB' ? 'UK' : (known ?? 'OTHER'));
  return { jurisdiction, ...(looksLikeUsState ? { looksLikeUsState } : {}) };
}

/** Pragmatic address check (what SES accepts): one @, a dotted domain, no spaces or angle brackets. */
const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** E.164, as SNS SMS requires. */
const PHONE = /^\+[1-9]\d{6,14}$/;

/** Checks the header once: unknown columns are refused (a typo must not silently drop every address). */
export function checkHeader(columns: readonly string[]): string | undefined {
  const names = columns.map((c) => c.trim().toLowerCase());
  const unknown = names.filter((c) => !(RECIPIENT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) return `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}; expected a header row with ${RECIPIENT_COLUMNS.join(', ')}`;
  if (!names.includes('email') && !names.includes('phone') && !names.includes('address1')) return 'the header needs an email, a phone or an address1 column';
  return undefined;
}

/** Validates one row. Addresses are normalised (email lower-cased, phone without spaces) so duplicates collapse. */
export function validateRow(record: Readonly<Record<string, string | undefined>>, line: number, languages: readonly Language[], reach: Reach): RowResult {
  const get = (key: string) => {
    const value = record[key]?.trim();
    return value ? value : undefined;
  };
  const email = get('email')?.toLowerCase();
  const phone = get('phone')?.replace(/[\s().-]/g, '');
  const name = get('name');
  const language = get('language')?.toLowerCase();
  const regionValue = get('region');
  const region = regionValue === undefined ? undefined : regionJurisdiction(regionValue);
  const consentValue = get('electronic-consent')?.toLowerCase();
  const primaryValue = get('email-primary')?.toLowerCase();
  if (!email && !phone && !hasAddress(get)) return { ok: false, line, message: 'neither an email address, a phone number nor a postal address' };
  if (email && (email.length > 254 || !EMAIL.test(email))) return { ok: false, line, column: 'email', message: 'not a valid email address' };
  if (phone && !PHONE.test(phone)) return { ok: false, line, column: 'phone', message: 'not a phone number in international format (+491701234567)' };
  if (name && name.length > 200) return { ok: false, line, column: 'name', message: 'name longer than 200 characters' };
  if (language && !(LANGUAGES as readonly string[]).includes(language)) return { ok: false, line, column: 'language', message: `language "${language.slice(0, 10)}" is not one of ${LANGUAGES.join(', ')}` };
  if (language && !languages.includes(language as Language)) return { ok: false, line, column: 'language', message: `this notice is not available in "${language}" (available: ${languages.join(', ')})` };
  if (region && 'problem' in region) return { ok: false, line, column: 'region', message: region.problem };
  if (consentValue !== undefined && !(consentValue in CONSENT)) return { ok: false, line, column: 'electronic-consent', message: 'electronic-consent is not yes or no' };
  if (primaryValue !== undefined && !(primaryValue in CONSENT)) return { ok: false, line, column: 'email-primary', message: 'email-primary is not yes or no' };
  const postal = hasAddress(get) ? parsePostalAddress(get, (code) => ISO_3166_1.has(code)) : undefined;
  if (postal && 'problem' in postal) return { ok: false, line, column: postal.column as RecipientColumn, message: postal.problem };
  const recipient: Recipient = {
    line,
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(name ? { name } : {}),
    ...(language ? { language: language as Language } : {}),
    ...(region && 'jurisdiction' in region ? { region: region.jurisdiction, ...(region.looksLikeUsState ? { regionLooksLikeUsState: region.looksLikeUsState } : {}) } : {}),
    ...(postal ? { postal: postal.address } : {}),
    ...(consentValue !== undefined ? { electronicConsent: CONSENT[consentValue]! } : {}),
    ...(primaryValue !== undefined ? { emailPrimary: CONSENT[primaryValue]! } : {}),
  };
  if (!channelFor(recipient, reach)) return { ok: false, line, message: unreachable(recipient, reach) };
  return { ok: true, recipient };
}

const CONSENT: Readonly<Record<string, boolean>> = { yes: true, y: true, true: true, '1': true, no: false, n: false, false: false, '0': false };

/** The channel a valid recipient is reached on (validation refused every row without one). */
export function channelOf(recipient: Recipient, reach: Reach): PersonChannel {
  const channel = channelFor(recipient, reach);
  if (!channel) throw new Error(`line ${recipient.line}: ${unreachable(recipient, reach)}`);
  return channel;
}

/**
 * The idempotency key of one person for one notice: a keyed hash of the notice id and the normalised address.
 * The same address twice in a list (or the list uploaded twice) maps to one key: one send.
 */
export function recipientKey(noticeId: string, address: string): string {
  return createHash('sha256').update(`${noticeId}\n${address}`).digest('hex').slice(0, 40);
}
