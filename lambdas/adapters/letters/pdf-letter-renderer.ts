import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import type { LetterInput, LetterRenderer } from '../../ports/letters.js';
import { addressLines, paperFor } from '../../domain/notices/postal-address.js';

/**
 * Letters as PDF with pdf-lib (ADR 0019): pure JavaScript, the 14 standard fonts built in (nothing read from
 * disk at run time, so esbuild bundles it whole). One letter per person: US Letter for an address in North
 * America, A4 elsewhere; the address block where a #10 window envelope (US) or a DL window envelope (DIN 5008
 * form B) shows it; the approved text with its headings; the notice id, version and content hash in the
 * footer of every page, with page numbers.
 *
 * The standard fonts encode WinAnsi (Windows-1252) only: German and French (ä ö ü ß é è à ç œ « » „ “ €) print
 * as written; another character is transliterated (its accents dropped: ř → r, ł → l) or, failing that,
 * printed as "?", and the footer says how many were replaced, so a letter never claims to be the approved text
 * unchanged when it is not.
 */
const MM = 72 / 25.4;
const PAPER = { 'us-letter': [612, 792], a4: [595.28, 841.89] } as const;

/** Where things go, in points from the top-left corner of the sheet. */
const LAYOUT = {
  // #10 window (4 1/2" x 1 1/8", 7/8" from the left, 1/2" from the bottom of a 4 1/8" envelope), the letter folded in three:
  // the address block from 2 1/8" below the top edge, 1" from the left; the return address at the top left.
  'us-letter': { margin: 72, sender: { x: 72, y: 40 }, address: { x: 72, y: 153, width: 4 * 72 }, bodyTop: 3.4 * 72, foldMarks: [] as number[] },
  // DIN 5008 form B: the address field 20 mm from the left, 45 mm from the top (85 x 45 mm); the return line
  // in the note zone just above the address zone (62.7 mm); fold marks at 105 and 210 mm, the punch mark at 148.5 mm.
  a4: { margin: 25 * MM, sender: { x: 20 * MM, y: 57 * MM }, address: { x: 20 * MM, y: 64 * MM, width: 85 * MM }, bodyTop: 98.5 * MM, foldMarks: [105 * MM, 210 * MM, 148.5 * MM] },
} as const;

const BODY_SIZE = 10.5;
const LEADING = 14;
const FOOTER_SIZE = 7;

/** Replaces what the font cannot encode; counts the replacements. */
function encodable(font: PDFFont) {
  const cache = new Map<string, string>();
  let replaced = 0;
  const ok = (ch: string) => {
    try {
      font.encodeText(ch);
      return true;
    } catch {
      return false;
    }
  };
  const fix = (ch: string): string => {
    const known = cache.get(ch);
    if (known !== undefined) return known;
    let out = ch;
    if (!ok(ch)) {
      const stripped = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out = stripped && [...stripped].every(ok) ? stripped : (TRANSLITERATE[ch] ?? '?');
    }
    cache.set(ch, out);
    return out;
  };
  return {
    text: (value: string) =>
      [...value]
        .map((ch) => {
          const out = ch === '\t' ? '  ' : fix(ch);
          if (out !== ch && ch !== '\t') replaced++;
          return out;
        })
        .join(''),
    replaced: () => replaced,
  };
}

const TRANSLITERATE: Readonly<Record<string, string>> = { ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ı: 'i', ø: 'o', Ø: 'O', ħ: 'h', '\u2010': '-', '\u2011': '-', '\u2212': '-', '\u00a0': ' ', '\u202f': ' ' };

/** Splits a line into lines no wider than `width`, at blanks (a word longer than a line is cut). */
function wrap(line: string, font: PDFFont, size: number, width: number): string[] {
  const indent = /^\s*/.exec(line)![0];
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return [''];
  const out: string[] = [];
  let current = indent;
  for (let word of words) {
    while (font.widthOfTextAtSize(indent + word, size) > width) {
      let cut = word.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(indent + word.slice(0, cut), size) > width) cut--;
      if (current.trim()) out.push(current);
      out.push(indent + word.slice(0, cut));
      current = indent;
      word = word.slice(cut);
    }
    const candidate = current.trim() ? `${current} ${word}` : indent + word;
    if (font.widthOfTextAtSize(candidate, size) > width) {
      out.push(current);
      current = indent + word;
    } else current = candidate;
  }
  out.push(current);
  return out;
}

/**
 * The template's headings: a line at the left margin, not a sentence, followed by an indented value (values
 * stand indented by two spaces in the text format, so no value can read as a heading: docs/notices.md).
 */
function isHeading(lines: readonly string[], index: number): boolean {
  const line = lines[index]!;
  if (!line.trim() || /^\s/.test(line) || line.length > 90 || /[.,;]$/.test(line)) return false;
  const next = lines.slice(index + 1).find((l) => l.trim());
  return next !== undefined && /^\s{2}/.test(next);
}

export class PdfLetterRenderer implements LetterRenderer {
  async letter(input: LetterInput): Promise<Uint8Array> {
    const paper = paperFor(input.address);
    const [width, height] = PAPER[paper];
    const layout = LAYOUT[paper];
    const pdf = await PDFDocument.create();
    const regular = await pdf.embedFont(StandardFonts.Helvetica);
    const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
    const enc = encodable(regular);
    const at = new Date(input.approvedAt);
    pdf.setTitle(enc.text(input.rendered.subject));
    pdf.setSubject(`sha256:${input.contentHash}`);
    pdf.setKeywords([input.noticeId, `version ${input.version}`, `sha256:${input.contentHash}`]);
    pdf.setProducer('breachclock');
    pdf.setCreator('breachclock');
    pdf.setLanguage(input.language);
    // The same input gives the same bytes (a redelivered chunk writes the same letter): dates from the approval.
    pdf.setCreationDate(at);
    pdf.setModificationDate(at);

    const pages: PDFPage[] = [];
    const newPage = () => {
      const page = pdf.addPage([width, height]);
      pages.push(page);
      return page;
    };
    const text = (page: PDFPage, value: string, x: number, top: number, size: number, font = regular) => page.drawText(enc.text(value), { x, y: height - top - size, size, font, color: rgb(0, 0, 0) });

    // First page: sender, the address in the window, fold marks, then the subject and the body.
    let page = newPage();
    const sender = [input.sender.name, ...(input.sender.postalAddress ? [input.sender.postalAddress] : [])];
    if (paper === 'a4') text(page, sender.join(', '), layout.sender.x, layout.sender.y, 7);
    else sender.forEach((line, i) => text(page, line, layout.sender.x, layout.sender.y + i * 11, 9, i === 0 ? bold : regular));
    const senderCountry = paper === 'us-letter' ? 'US' : undefined;
    // A line wider than the window wraps onto the next (validation keeps lines to 60 characters; a window holds about 45).
    const block = addressLines(input.recipientName, input.address, senderCountry ?? countryOf(input.sender.postalAddress)).flatMap((l) => wrap(enc.text(l), regular, 10, layout.address.width));
    block.forEach((part, i) => text(page, part, layout.address.x, layout.address.y + i * 12, block.length > 6 ? 9 : 10));
    for (const mark of layout.foldMarks) page.drawLine({ start: { x: 3 * MM, y: height - mark }, end: { x: (mark === 148.5 * MM ? 9 : 7) * MM, y: height - mark }, thickness: 0.4, color: rgb(0.4, 0.4, 0.4) });

    const contentWidth = width - 2 * layout.margin;
    const bottom = 20 * MM + 2 * LEADING;
    let y = layout.bodyTop;
    const line = (value: string, font: PDFFont, size = BODY_SIZE) => {
      for (const part of wrap(enc.text(value), font, size, contentWidth)) {
        if (y + LEADING > height - bottom) {
          page = newPage();
          y = layout.margin;
        }
        if (part) text(page, part, layout.margin, y, size, font);
        y += LEADING;
      }
    };
    line(input.rendered.subject, bold, 12);
    y += LEADING / 2;
    const lines = input.rendered.text.split('\n');
    lines.forEach((value, index) => line(value, isHeading(lines, index) ? bold : regular));

    // Footer: what was approved (notice, version, hash), replacements if any, and the page numbers.
    const replaced = enc.replaced();
    pages.forEach((p, i) => {
      const footer = `${input.noticeId} · version ${input.version} · SHA-256 of the approved content ${input.contentHash}`;
      p.drawText(enc.text(footer), { x: layout.margin, y: 12 * MM + FOOTER_SIZE + 2, size: FOOTER_SIZE, font: regular, color: rgb(0.25, 0.25, 0.25) });
      const note = replaced ? `${replaced} character(s) outside the letter's font printed as their nearest letter or "?"; the approved text is at the hash above. ` : '';
      const number = `${note}Page ${i + 1} of ${pages.length}`;
      p.drawText(enc.text(number), { x: width - layout.margin - regular.widthOfTextAtSize(enc.text(number), FOOTER_SIZE), y: 12 * MM, size: FOOTER_SIZE, font: regular, color: rgb(0.25, 0.25, 0.25) });
    });
    return pdf.save({ useObjectStreams: false });
  }

  /**
   * One print-ready file of every letter, in the order given: each letter padded to an even number of pages
   * with a blank page (duplex printing: no letter starts on the back of another's last page).
   */
  async batch(letters: readonly Uint8Array[]): Promise<Uint8Array> {
    const out = await PDFDocument.create();
    out.setTitle(`${letters.length} letters`);
    out.setProducer('breachclock');
    out.setCreationDate(new Date(0));
    out.setModificationDate(new Date(0));
    for (const bytes of letters) {
      const letter = await PDFDocument.load(bytes);
      const copied = await out.copyPages(letter, letter.getPageIndices());
      for (const page of copied) out.addPage(page);
      const last = copied[copied.length - 1]!;
      if (copied.length % 2) out.addPage([last.getWidth(), last.getHeight()]);
    }
    return out.save({ useObjectStreams: false });
  }
}

/** The sender's country from the last part of its one-line postal address when it names one (else undefined: no country line). */
function countryOf(postalAddress: string | undefined): string | undefined {
  const last = postalAddress?.split(',').pop()?.trim().toUpperCase();
  return last && /^[A-Z]{2}$/.test(last) ? last : undefined;
}
