import { createHash } from 'node:crypto';
import Mustache from 'mustache';
import { stripControl } from '../control-characters.js';
import { conditionHolds, SINGLE_LINE_ELEMENTS } from './notice-pack.js';
import { deriveElement, derivedAuthors, isLate, suggestElement, type ElementContext } from './elements.js';
import type { ElementId, Language, NoticeTemplate } from './notice-pack.js';
import { NOTICE_LINK_SLOT } from './notice-link.js';

export interface DraftElement {
  readonly id: ElementId;
  readonly label: string;
  readonly legalSource: string;
  /** Mandatory for this notice now (a follow-up needs its case reference; a late notice its reasons). */
  readonly required: boolean;
  readonly value?: string;
  /** Where the value came from: the officer's words (audited edit), or breachclock's records. */
  readonly source: 'field' | 'derived' | 'missing';
  /** For a derived value: who recorded the facts or wrote the task text it renders (they cannot approve it); for an accepted suggestion, who wrote its text. */
  readonly authors?: readonly string[];
  /** The language of the officer's text when it is not the notice's (an accepted English suggestion): missing until written in the notice's. */
  readonly language?: Language;
  /**
   * Text breachclock suggests (from the response tasks): shown to the officer, never rendered until an officer
   * accepts it for this notice (`accept-suggestion` naming its `hash`, an audited edit) or writes their own.
   */
  readonly suggestion?: { readonly text: string; readonly language: Language; readonly authors: readonly string[]; readonly hash: string };
}

/** A mandatory element without a value in the notice's language (`written`: the language of the text it holds instead). */
export interface MissingElement {
  readonly id: ElementId;
  readonly label: string;
  readonly legalSource: string;
  readonly language: Language;
  readonly written?: Language;
}

/** What an officer accepted from a suggestion, per element: whose text it is (four eyes) and its language. */
export type AcceptedTexts = Readonly<Record<string, { readonly authors: readonly string[]; readonly language: Language }>>;

export interface RenderedNotice {
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly markdown?: string;
  readonly sms?: string;
}

export interface Draft {
  readonly elements: readonly DraftElement[];
  /** Mandatory elements without a value, by label: the draft cannot be approved while any is missing. */
  readonly missing: readonly MissingElement[];
  readonly late: boolean;
  readonly rendered: RenderedNotice;
}

/** Line breaks normalised (CR, CRLF, U+2028, U+2029 become LF); control characters (NUL, ESC, bidi overrides …) never reach a notice or a mail client. */
export function clean(value: string): string {
  return stripControl(value.replace(/\r\n?|\u2028|\u2029/g, '\n')).trim();
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' };
/** HTML: every character with a meaning escaped; a line break is a <br> (a blank line at most two), never more structure. */
const escapeHtml = (value: string) => value.replace(/[&<>"'`=/]/g, (c) => HTML[c]!).replace(/\n{3,}/g, '\n\n').replace(/\n/g, '<br>');
/**
 * Markdown: every character with a meaning is escaped (`=` and `-` included, so no line becomes a setext
 * underline; `#`, `>`, `-`, `*`, `+`, `1.`, backticks and tildes, so none starts a heading, quote, list or
 * fence; `|`, so none adds a table cell), and each line's leading blanks are dropped (no indented code).
 */
const escapeMarkdown = (value: string) =>
  value
    .split('\n')
    .map((line) => line.trimStart().replace(/([\\`*_{}[\]()#+\-.!|<>~=])/g, '\\$1'))
    .join('\n');
const oneLine = (value: string) => value.replace(/\s*\n\s*/g, ' ');

type Format = 'subject' | 'text' | 'html' | 'markdown' | 'sms';

/**
 * How a value is written where the template puts it. `line` is the template's line around the value and
 * `alone` whether the value is all of that line.
 * - subject: one line.
 * - text: the officer's lines are set apart: a value alone on its line is indented by two spaces on every
 *   line, a value after a label ("Controller: …") has its further lines indented, so no line of it can read as
 *   one of the template's headings (California's "What Happened?", …); a value that starts a line before the
 *   template's words is put on one line.
 * - markdown: escaped; in a table row (a line starting with `|`) on one line, so it stays one cell of its row.
 * - html: escaped, line breaks as <br>.
 * - sms: as written (an SMS has no structure).
 */
export const ESCAPES: Record<Format, (value: string, line: string, alone: boolean) => string> = {
  subject: (value) => oneLine(value),
  text: (value, line, alone) => {
    // A value that starts a line before the template's words ("{{org}} is informing …") is one line: its first
    // line would otherwise stand alone at the line's start and could read as a heading.
    if (!alone && line.startsWith('\u0001')) return oneLine(value);
    const lines = value.split('\n').map((l) => (l.trim() ? `  ${l}` : ''));
    if (!alone) lines[0] = lines[0]!.trimStart();
    return lines.join('\n');
  },
  markdown: (value, line) => escapeMarkdown(/^\s*\|/.test(line) ? oneLine(value) : value),
  html: (value) => escapeHtml(value),
  sms: (value) => value,
};

/** Marks where Mustache put a value (control characters, which clean() removes from every value). */
const MARK = /\u0001(\d+)\u0002/g;

/**
 * Fills a notice pack from the incident: each element from the officer's field of the same id when given,
 * else from breachclock's records; mandatory elements without a value are listed as missing. Renders every
 * format of the pack's template for the language, each with its own escaping (a missing element shows as
 * "[missing: label]" so a draft reads as what it is).
 */
export function draftNotice(context: ElementContext, fields: Readonly<Record<string, string>>, accepted: AcceptedTexts = {}, englishTexts: ReadonlySet<string> = new Set()): Draft {
  const late = isLate(context);
  const elements: DraftElement[] = context.pack.elements.map((element) => {
    const required =
      element.required === 'always' ||
      (element.required === 'when-late' && late) ||
      (element.required === 'when-follow-up' && Boolean(context.followUp)) ||
      (element.required === 'when' && conditionHolds(element.when!, context.incident.facts));
    const given = fields[element.id] !== undefined ? clean(fields[element.id]!) : '';
    const derived = deriveElement(element.id, context);
    const value = given || (derived !== undefined ? clean(derived) : '');
    const taken = given ? accepted[element.id] : undefined;
    const authors = taken ? taken.authors : !given && value ? [...new Set(derivedAuthors(element.id, context))] : [];
    const suggested = suggestElement(element.id, context);
    const text = suggested && clean(suggested.text);
    // Text known to be English (an English notice's, the task text suggested) is not a de or fr notice's own.
    const language = taken?.language ?? (given && context.language !== 'en' && !SINGLE_LINE_ELEMENTS.has(element.id) && (given === text || englishTexts.has(given)) ? 'en' : context.language);
    return {
      id: element.id,
      label: element.label,
      legalSource: element.legalSource,
      required,
      ...(value ? { value } : {}),
      source: given ? 'field' : value ? 'derived' : 'missing',
      ...(authors.length ? { authors } : {}),
      ...(language !== context.language ? { language } : {}),
      ...(text ? { suggestion: { ...suggested, text, hash: createHash('sha256').update(text).digest('hex') } } : {}),
    };
  });
  const missing = elements
    .filter((e) => e.required && (!e.value || e.language))
    .map(({ id, label, legalSource, language }): MissingElement => ({ id, label, legalSource, language: context.language, ...(language ? { written: language } : {}) }));
  const template = context.pack.templates[context.language];
  if (!template) throw new RangeError(`${context.pack.kind} has no ${context.language} template`);
  return { elements, missing, late, rendered: render(template, elements, context) };
}

function render(template: NoticeTemplate, elements: readonly DraftElement[], context: ElementContext): RenderedNotice {
  const view = (format: Format) => ({
    el: Object.fromEntries(elements.map((e) => [e.id, e.value ?? (e.required ? `[missing: ${e.label}]` : '')])),
    has: Object.fromEntries(elements.map((e) => [e.id, Boolean(e.value)])),
    /**
     * Required now (a statute's "when …" holds): a conditional section is shown by its condition, never by whether
     * a value was written, so officer text cannot add or remove a section (a missing one reads "[missing: …]").
     */
    required: Object.fromEntries(elements.map((e) => [e.id, e.required])),
    incidentId: context.incident.id,
    /** The SMS's link to the whole notice: each person's own private link, put in at sending (`NOTICE_LINK_SLOT`). */
    noticeLink: NOTICE_LINK_SLOT,
    late: isLate(context),
    followUp: Boolean(context.followUp),
    format,
  });
  // Mustache marks each value's place; each is then written for its format and where it stands (a table
  // row, alone on its line, after a label), which Mustache's escape function cannot see.
  const out = (format: Format, body: string) => {
    const values: string[] = [];
    const marked = Mustache.render(body, view(format), {}, { escape: (value: string) => `\u0001${values.push(String(value)) - 1}\u0002` });
    const placed = marked
      .split('\n')
      .map((line) => line.replace(MARK, (mark, index: string) => ESCAPES[format](values[Number(index)]!, line, line.trim() === mark)))
      .join('\n');
    return placed.replace(/\n{3,}/g, '\n\n').trim();
  };
  return {
    subject: out('subject', template.subject),
    text: out('text', template.text),
    ...(template.html ? { html: out('html', template.html) } : {}),
    ...(template.markdown ? { markdown: out('markdown', template.markdown) } : {}),
    ...(template.sms ? { sms: out('sms', template.sms) } : {}),
  };
}
