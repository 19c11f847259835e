import type { Channel } from './notice-pack.js';
import type { PostalAddress } from './postal-address.js';

/** What of a recipient (recipients.ts) decides the channel. */
interface Recipient {
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly postal?: PostalAddress;
  readonly electronicConsent?: boolean;
  readonly emailPrimary?: boolean;
  /** Where the person lives (the region column: US-TX). */
  readonly region?: string;
}

/**
 * When a US state's statute lets the notice go by email (issue 26.5; scripts/us-email-rules.ts): only with the
 * person's consent to electronic notice (E-SIGN, 15 U.S.C. 7001(c)); with consent or when email is the business's
 * primary way of communicating with the person; only in the latter case; or freely.
 */
export type EmailRule = 'consent' | 'consent-or-primary' | 'primary' | 'any';
export interface EmailLaw {
  readonly rule: EmailRule;
  /** The state, its citation and the rule in words. */
  readonly source: string;
}

/**
 * How a notice can reach its people (issue 26.5): the pack's channels, and whether an email needs the
 * person's agreement to electronic notice (HIPAA, 45 CFR 164.404(d)(1)(i): "by first-class mail ... or, if the
 * individual agrees to electronic notice, by electronic mail").
 */
export interface Reach {
  readonly email: boolean;
  readonly sms: boolean;
  readonly letter: boolean;
  /** The legal source when an email needs the person's consent to electronic notice; absent: it does not. */
  readonly emailNeedsConsent?: string;
  /** Per US state (region code): when its law lets the notice go by email. */
  readonly emailByRegion?: Readonly<Record<string, EmailLaw>>;
  /** For a person whose state is not known: every one of these must allow the email (the notice's covered states). */
  readonly emailOtherwise?: readonly EmailLaw[];
}

export function reachOf(pack: {
  readonly channels: readonly Channel[];
  readonly emailNeedsConsent?: string | undefined;
  readonly emailByRegion?: Readonly<Record<string, EmailLaw>> | undefined;
  readonly emailOtherwise?: readonly EmailLaw[] | undefined;
}): Reach {
  return {
    email: pack.channels.includes('email'),
    sms: pack.channels.includes('sms'),
    letter: pack.channels.includes('letter'),
    ...(pack.emailNeedsConsent ? { emailNeedsConsent: pack.emailNeedsConsent } : {}),
    ...(pack.emailByRegion ? { emailByRegion: pack.emailByRegion } : {}),
    ...(pack.emailOtherwise ? { emailOtherwise: pack.emailOtherwise } : {}),
  };
}

/** The person's US state: the region column, else the state of a US postal address. */
function usStateOf(recipient: Recipient): string | undefined {
  if (recipient.region?.startsWith('US-')) return recipient.region;
  if (recipient.postal?.country === 'US' && recipient.postal.state) return `US-${recipient.postal.state.toUpperCase()}`;
  return undefined;
}

/** The laws that must each allow an email to this person (none: email is allowed). */
function emailLaws(recipient: Recipient, reach: Reach): readonly EmailLaw[] {
  if (reach.emailNeedsConsent) return [{ rule: 'consent', source: reach.emailNeedsConsent }];
  if (!reach.emailByRegion) return [];
  const state = usStateOf(recipient);
  const own = state ? reach.emailByRegion[state] : undefined;
  return own ? [own] : (reach.emailOtherwise ?? []);
}

const allows = (law: EmailLaw, recipient: Recipient): boolean =>
  law.rule === 'any' ||
  (law.rule === 'consent' && recipient.electronicConsent === true) ||
  (law.rule === 'primary' && recipient.emailPrimary === true) ||
  (law.rule === 'consent-or-primary' && (recipient.electronicConsent === true || recipient.emailPrimary === true));

/** Whether the law lets this person be emailed the notice; otherwise the laws that stand in the way. */
function emailBlockedBy(recipient: Recipient, reach: Reach): readonly EmailLaw[] {
  return emailLaws(recipient, reach).filter((law) => !allows(law, recipient));
}

const NEEDS: Record<EmailRule, string> = {
  any: 'an email address',
  consent: 'needs consent to electronic notice: electronic-consent yes',
  primary: 'needs email to be the primary way we communicate with the person: email-primary yes',
  'consent-or-primary': 'needs consent to electronic notice or email as the primary way we communicate with the person: electronic-consent yes or email-primary yes',
};

/**
 * The one channel through which a person gets the whole notice, in this order:
 * - **email**, when there is an address (and, where the law asks, the person agreed to electronic notice);
 * - **sms**, whose text links to the notice itself on breachclock's page behind a private link (never "we have
 *   emailed you": no email went to this person);
 * - **letter**, to a postal address.
 * None of them: the row is refused at validation, with why (`unreachable`).
 */
export type PersonChannel = { readonly channel: 'email'; readonly address: string } | { readonly channel: 'sms'; readonly address: string } | { readonly channel: 'letter'; readonly address: string };

export function channelFor(recipient: Recipient, reach: Reach): PersonChannel | undefined {
  if (recipient.email && reach.email && !emailBlockedBy(recipient, reach).length) return { channel: 'email', address: recipient.email };
  if (recipient.phone && reach.sms) return { channel: 'sms', address: recipient.phone };
  if (recipient.postal && reach.letter) return { channel: 'letter', address: letterKeyAddress(recipient) };
  return undefined;
}

/** Why a person cannot be reached with the whole notice: a line-numbered validation message, naming no content. */
export function unreachable(recipient: Recipient, reach: Reach): string {
  const conditional = !!reach.emailNeedsConsent || !!reach.emailByRegion;
  const ways = [reach.email ? (conditional ? 'an email address the law lets us use' : 'an email address') : undefined, reach.sms ? 'a phone number' : undefined, reach.letter ? 'a postal address' : undefined].filter(Boolean);
  const blocked = recipient.email && reach.email ? emailBlockedBy(recipient, reach) : [];
  const why = blocked.length ? `; the email address cannot be used: ${blocked.map((law) => `${law.source} (${NEEDS[law.rule]})`).join('; ')}` : '';
  return `no way to give this person the whole notice: it needs ${ways.join(' or ')}${why}`;
}

/** The normalised address a letter's idempotency key is made of: the name and the address, lower-cased, one line. */
function letterKeyAddress(recipient: Recipient): string {
  const a = recipient.postal!;
  return ['letter', recipient.name ?? '', a.line1, a.line2 ?? '', a.city, a.state ?? '', a.postcode ?? '', a.country].map((part) => part.toLowerCase().replace(/\s+/g, ' ').trim()).join('|');
}
