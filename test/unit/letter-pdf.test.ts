import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { PdfLetterRenderer } from '../../lambdas/adapters/letters/pdf-letter-renderer.js';
import type { LetterInput } from '../../lambdas/app/letters.js';

const HASH = 'a'.repeat(24) + '0123456789abcdef0123456789abcdef' + 'b'.repeat(8);

/** The text a PDF shows: every Flate stream inflated, each `<hex> Tj` decoded as Windows-1252 (what the standard fonts encode). */
function shownText(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    for (const hex of body.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) out.push(new TextDecoder('windows-1252').decode(Buffer.from(hex[1]!, 'hex')));
  }
  return out.join('\n');
}

const input = (over: Partial<LetterInput> = {}): LetterInput => ({
  incidentId: 'INC-T-1',
  noticeId: 'NTC-gdpr-people-0a1b2c3d',
  version: 2,
  contentHash: HASH,
  approvedAt: '2026-12-05T10:00:00.000Z',
  language: 'de',
  rendered: {
    subject: 'Wichtig: eine Datenschutzverletzung betrifft Ihre Daten (Bäckerei Müller GmbH)',
    text: ['Was ist passiert', '  Ein Angreifer hat die Kundentabelle exportiert: Straße, Größe, Übermaß.', '', 'Ce que vous pouvez faire', "  Changez votre mot de passe, « œuvre » et façade à l'été.", '', 'Name: Łukasz Řehoř ☃'].join('\n'),
  },
  sender: { name: 'Bäckerei Müller GmbH', dpo: { name: 'Dana Pohl', email: 'dpo@example.de' }, postalAddress: 'Hauptstraße 1, 10115 Berlin' },
  recipientName: 'Jürgen Groß',
  address: { line1: 'Lindenallee 7', city: 'München', postcode: '80331', country: 'DE' },
  ...over,
});

describe('letters as PDF (issue 26.5, ADR 0019)', () => {
  const renderer = new PdfLetterRenderer();

  it('renders an A4 letter for a German address with the approved text, headings, hash, notice and page numbers; German and French print as written', async () => {
    const pdf = await renderer.letter(input());
    const loaded = await PDFDocument.load(pdf);
    expect(loaded.getPageCount()).toBe(1);
    const { width, height } = loaded.getPage(0).getSize();
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);
    expect(loaded.getSubject()).toBe(`sha256:${HASH}`);
    const text = shownText(pdf);
    expect(text).toContain(HASH);
    expect(text).toContain('NTC-gdpr-people-0a1b2c3d · version 2');
    expect(text).toContain('Page 1 of 1');
    expect(text).toContain('Jürgen Groß');
    expect(text).toContain('80331 München');
    expect(text).toContain('Straße, Größe, Übermaß.');
    expect(text).toContain("« œuvre » et façade à l'été.");
    // Outside WinAnsi: transliterated (Ł → L, Ř → R, ř → r) or "?", and the footer says how many were replaced.
    expect(text).toContain('Name: Lukasz Rehor ?');
    expect(text).toContain('4 character(s) outside the letter');
    // The same input gives the same bytes (a redelivered chunk stores the same letter).
    expect(Buffer.from(await renderer.letter(input())).equals(Buffer.from(pdf))).toBe(true);
  });

  it('renders US Letter for a US address, over several pages, and binds letters into one duplex-ready batch', async () => {
    const long = Array.from({ length: 90 }, (_, i) => `  Paragraph ${i + 1}: we reset every password and reviewed the access logs of the export.`).join('\n');
    const us = await renderer.letter(input({ language: 'en', rendered: { subject: 'Notice of Data Breach', text: `What Happened?\n${long}` }, recipientName: 'Al Smith', address: { line1: '1 Main St', city: 'Austin', state: 'TX', postcode: '78701', country: 'US' } }));
    const loaded = await PDFDocument.load(us);
    const pages = loaded.getPageCount();
    expect(pages).toBeGreaterThan(1);
    expect(loaded.getPages().every((p) => p.getWidth() === 612 && p.getHeight() === 792)).toBe(true);
    const text = shownText(us);
    expect(text).toContain('AUSTIN TX 78701');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text.split(HASH).length - 1).toBe(pages);

    const de = await renderer.letter(input());
    const batch = await PDFDocument.load(await renderer.batch([us, de]));
    const padded = pages + (pages % 2) + 2; // each letter to an even count
    expect(batch.getPageCount()).toBe(padded);
  });
});
