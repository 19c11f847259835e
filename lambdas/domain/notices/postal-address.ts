/**
 * A recipient's postal address, for a letter (issue 26.5), from the list's columns address1, address2, city,
 * state, postcode, country. Validated so that a letter can be printed for a window envelope: each line short
 * enough for the window (at most 60 characters), the country an ISO 3166-1 code, and a US address with its
 * state and ZIP code. What a line says is never echoed in an error (a list carries personal data).
 */
export interface PostalAddress {
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  /** A US state or territory's two-letter postal abbreviation; elsewhere a region, as written. */
  readonly state?: string;
  readonly postcode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

export const ADDRESS_COLUMNS = ['address1', 'address2', 'city', 'state', 'postcode', 'country'] as const;

const MAX_LINE = 60;
const US_POSTAL = new Set(
  ('AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY ' +
    'PR GU VI AS MP AA AE AP').split(' '),
);
/** Postcode shapes where a wrong one would misroute a letter; other countries: up to 12 letters, digits, blanks and hyphens. */
const POSTCODES: Readonly<Record<string, RegExp>> = {
  US: /^\d{5}(?:-\d{4})?$/,
  DE: /^\d{5}$/,
  FR: /^\d{5}$/,
  AT: /^\d{4}$/,
  CH: /^\d{4}$/,
  NL: /^\d{4} ?[A-Z]{2}$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/,
};

/** Whether a row has any address column filled (then the address must be complete). */
export function hasAddress(get: (column: string) => string | undefined): boolean {
  return ADDRESS_COLUMNS.some((c) => get(c) !== undefined);
}

/** The address of a row, or what is wrong with it (by column, never by content). */
export function parsePostalAddress(get: (column: string) => string | undefined, isCountry: (code: string) => boolean): { address: PostalAddress } | { problem: string; column: string } {
  const line1 = get('address1');
  const line2 = get('address2');
  const city = get('city');
  const country = get('country')?.toUpperCase();
  let state = get('state');
  let postcode = get('postcode')?.toUpperCase();
  if (!line1) return { problem: 'a postal address needs address1', column: 'address1' };
  if (!city) return { problem: 'a postal address needs a city', column: 'city' };
  if (!country) return { problem: 'a postal address needs a country (ISO 3166-1, e.g. US, DE)', column: 'country' };
  if (!/^[A-Z]{2}$/.test(country) || !isCountry(country)) return { problem: 'country is not an ISO 3166-1 code (e.g. US, DE)', column: 'country' };
  for (const [column, value] of [['address1', line1], ['address2', line2], ['city', city], ['state', state], ['postcode', postcode]] as const) {
    if (value !== undefined && value.length > MAX_LINE) return { problem: `${column} longer than ${MAX_LINE} characters (it must fit an envelope window)`, column };
    if (value !== undefined && /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return { problem: `${column} holds a line break or a control character`, column };
  }
  if (country === 'US') {
    state = state?.toUpperCase().replace(/^US-/, '');
    if (!state || !US_POSTAL.has(state)) return { problem: 'a US address needs its state as a two-letter postal abbreviation (e.g. TX)', column: 'state' };
    if (!postcode) return { problem: 'a US address needs a ZIP code', column: 'postcode' };
  }
  const shape = POSTCODES[country];
  if (postcode !== undefined && shape && !shape.test(postcode)) return { problem: `postcode is not a ${country} postal code`, column: 'postcode' };
  if (postcode !== undefined && !/^[A-Z0-9][A-Z0-9 -]{1,11}$/.test(postcode)) return { problem: 'postcode is not a postal code (letters, digits, blanks, hyphens)', column: 'postcode' };
  if (postcode === undefined && shape) return { problem: `a ${country} address needs its postcode`, column: 'postcode' };
  return { address: { line1, ...(line2 ? { line2 } : {}), city, ...(state ? { state } : {}), ...(postcode ? { postcode } : {}), country } };
}

/**
 * The lines of the address block as printed in an envelope window: name, street lines, then the city line in
 * the country's order (US: "CITY ST ZIP"; DE, FR, AT, CH, NL and most of Europe: "POSTCODE CITY"; GB: city,
 * then postcode on its own line), and the country's name on the last line when the letter goes abroad.
 */
export function addressLines(name: string | undefined, address: PostalAddress, senderCountry?: string): string[] {
  const lines = [name, address.line1, address.line2].filter((l): l is string => Boolean(l));
  const { city, state, postcode, country } = address;
  if (country === 'US') lines.push(`${city.toUpperCase()} ${state ?? ''} ${postcode ?? ''}`.replace(/\s+/g, ' ').trim());
  else if (country === 'GB') lines.push(city.toUpperCase(), ...(postcode ? [postcode] : []));
  else lines.push([postcode, city, state && country !== 'DE' && country !== 'FR' ? state : undefined].filter(Boolean).join(' '));
  if (senderCountry && senderCountry !== country) lines.push(COUNTRY_NAMES[country] ?? country);
  return lines;
}

/** Country names for the last line of a letter going abroad (the Universal Postal Union asks for it in capitals, in a language of the sending country; English here). */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  US: 'UNITED STATES OF AMERICA',
  DE: 'GERMANY',
  FR: 'FRANCE',
  AT: 'AUSTRIA',
  CH: 'SWITZERLAND',
  NL: 'NETHERLANDS',
  GB: 'UNITED KINGDOM',
  IE: 'IRELAND',
  BE: 'BELGIUM',
  IT: 'ITALY',
  ES: 'SPAIN',
  CA: 'CANADA',
};

/** Paper for a letter: US Letter for an address in the US (and its territories), A4 everywhere else. */
export function paperFor(address: PostalAddress): 'us-letter' | 'a4' {
  return ['US', 'PR', 'GU', 'VI', 'AS', 'MP', 'CA', 'MX'].includes(address.country) ? 'us-letter' : 'a4';
}
