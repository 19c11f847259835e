import type { Channel } from './notice-pack.js';
import type { PostalAddress } from './postal-address.js';

/** What of a recipient (recipients.ts) decides the channel. */
interface Recipient {
  readonly email?: string;
  readonly phone?: string;
  readonly name?: string;
  readonly postal?: PostalAddress;
  readonly electronicConsent?: boolean;
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
}

export function reachOf(pack: { readonly channels: readonly Channel[]; readonly emailNeedsConsent?: string | undefined }): Reach {
  return {
    email: pack.channels.includes('email'),
    sms: pack.channels.includes('sms'),
    letter: pack.channels.includes('letter'),
    ...(pack.emailNeedsConsent ? { emailNeedsConsent: pack.emailNeedsConsent } : {}),
  };
}

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
  if (recipient.email && reach.email && (!reach.emailNeedsConsent || recipient.electronicConsent === true)) return { channel: 'email', address: recipient.email };
  if (recipient.phone && reach.sms) return { channel: 'sms', address: recipient.phone };
  if (recipient.postal && reach.letter) return { channel: 'letter', address: letterKeyAddress(recipient) };
  return undefined;
}

/** Why a person cannot be reached with the whole notice: a line-numbered validation message, naming no content. */
export function unreachable(recipient: Recipient, reach: Reach): string {
  const ways = [reach.email ? (reach.emailNeedsConsent ? 'an email address with consent to electronic notice' : 'an email address') : undefined, reach.sms ? 'a phone number' : undefined, reach.letter ? 'a postal address' : undefined].filter(Boolean);
  const why = recipient.email && reach.email && reach.emailNeedsConsent ? `; the email address cannot be used without the person's consent to electronic notice (electronic-consent yes; ${reach.emailNeedsConsent})` : '';
  return `no way to give this person the whole notice: it needs ${ways.join(' or ')}${why}`;
}

/** The normalised address a letter's idempotency key is made of: the name and the address, lower-cased, one line. */
function letterKeyAddress(recipient: Recipient): string {
  const a = recipient.postal!;
  return ['letter', recipient.name ?? '', a.line1, a.line2 ?? '', a.city, a.state ?? '', a.postcode ?? '', a.country].map((part) => part.toLowerCase().replace(/\s+/g, ' ').trim()).join('|');
}
