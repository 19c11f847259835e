import { createHash } from 'node:crypto';
import { LANGUAGES, type Language } from './notice-pack.js';

/**
 * One affected person (or, for a processor's notice, one controller's contact), as read from the uploaded
 * CSV. Columns (header row, case-insensitive): email, phone, name, language; at least one of email and phone.
 */
export interface Recipient {
  /** 1-based line number in the file (the header is line 1): errors and records point at it, never at content. */
  readonly line: number;
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly language?: Language;
}

export type RowResult = { readonly ok: true; readonly recipient: Recipient } | { readonly ok: false; readonly line: number; readonly message: string };

export const RECIPIENT_COLUMNS = ['email', 'phone', 'name', 'language'] as const;

/** Pragmatic address check (what SES accepts): one @, a dotted domain, no spaces or angle brackets. */
const EMAIL = /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/** E.164, as SNS SMS requires. */
const PHONE = /^\+[1-9]\d{6,14}$/;

/** Checks the header once: unknown columns are refused (a typo must not silently drop every address). */
export function checkHeader(columns: readonly string[]): string | undefined {
  const names = columns.map((c) => c.trim().toLowerCase());
  const unknown = names.filter((c) => !(RECIPIENT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) return `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')}; expected a header row with ${RECIPIENT_COLUMNS.join(', ')}`;
  if (!names.includes('email') && !names.includes('phone')) return 'the header needs an email or a phone column';
  return undefined;
}

/** Validates one row. Addresses are normalised (email lower-cased, phone without spaces) so duplicates collapse. */
export function validateRow(record: Readonly<Record<string, string | undefined>>, line: number, languages: readonly Language[], channels: { email: boolean; sms: boolean }): RowResult {
  const get = (key: string) => {
    const value = record[key]?.trim();
    return value ? value : undefined;
  };
  const email = get('email')?.toLowerCase();
  const phone = get('phone')?.replace(/[\s().-]/g, '');
  const name = get('name');
  const language = get('language')?.toLowerCase();
  if (!email && !phone) return { ok: false, line, message: 'neither an email address nor a phone number' };
  if (email && (email.length > 254 || !EMAIL.test(email))) return { ok: false, line, message: 'not a valid email address' };
  if (phone && !PHONE.test(phone)) return { ok: false, line, message: 'not a phone number in international format (+491701234567)' };
  if (name && name.length > 200) return { ok: false, line, message: 'name longer than 200 characters' };
  if (language && !(LANGUAGES as readonly string[]).includes(language)) return { ok: false, line, message: `language "${language.slice(0, 10)}" is not one of ${LANGUAGES.join(', ')}` };
  if (language && !languages.includes(language as Language)) return { ok: false, line, message: `this notice is not available in "${language}" (available: ${languages.join(', ')})` };
  const usable = (email && channels.email) || (phone && channels.sms);
  if (!usable) return { ok: false, line, message: channels.email ? 'no email address (this notice is sent by email)' : 'no phone number (this notice is sent by SMS)' };
  return {
    ok: true,
    recipient: {
      line,
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(name ? { name } : {}),
      ...(language ? { language: language as Language } : {}),
    },
  };
}

/** The channel a recipient is reached on: email when there is an address and the notice is emailed, else SMS. */
export function channelOf(recipient: Recipient, channels: { email: boolean; sms: boolean }): { channel: 'email'; address: string } | { channel: 'sms'; address: string } {
  if (recipient.email && channels.email) return { channel: 'email', address: recipient.email };
  return { channel: 'sms', address: recipient.phone! };
}

/**
 * The idempotency key of one person for one notice: a keyed hash of the notice id and the normalised address.
 * The same address twice in a list (or the list uploaded twice) maps to one key: one send.
 */
export function recipientKey(noticeId: string, address: string): string {
  return createHash('sha256').update(`${noticeId}\n${address}`).digest('hex').slice(0, 40);
}
