import Mustache from 'mustache';
import { stripControl } from '../control-characters.js';
import { deriveElement, derivedAuthors, isLate, type ElementContext } from './elements.js';
import type { ElementId, NoticeTemplate } from './notice-pack.js';

export interface DraftElement {
  readonly id: ElementId;
  readonly label: string;
  readonly legalSource: string;
  /** Mandatory for this notice now (a follow-up needs its case reference; a late notice its reasons). */
  readonly required: boolean;
  readonly value?: string;
  /** Where the value came from: the officer's words (audited edit), or breachclock's records. */
  readonly source: 'field' | 'derived' | 'missing';
  /** For a derived value: who recorded the facts or wrote the task text it renders (they cannot approve it). */
  readonly authors?: readonly string[];
}

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
  readonly missing: readonly { readonly id: ElementId; readonly label: string; readonly legalSource: string }[];
  readonly late: boolean;
  readonly rendered: RenderedNotice;
}

/** Line breaks normalised; control characters (NUL, ESC, bidi overrides …) never reach a notice or a mail client. */
export function clean(value: string): string {
  return stripControl(value.replace(/\r\n?/g, '\n')).trim();
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' };
const escapeHtml = (value: string) => value.replace(/[&<>"'`=/]/g, (c) => HTML[c]!).replace(/\n/g, '<br>');
/** Markdown: every character with a meaning is escaped, so an officer's text cannot become a link or a heading. */
const escapeMarkdown = (value: string) => value.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1');
const plain = (value: string) => value;

const ESCAPES = { html: escapeHtml, markdown: escapeMarkdown, text: plain, subject: (v: string) => v.replace(/\n/g, ' '), sms: plain } as const;

/**
 * Fills a notice pack from the incident: each element from the officer's field of the same id when given,
 * else from breachclock's records; mandatory elements without a value are listed as missing. Renders every
 * format of the pack's template for the language, each with its own escaping (a missing element shows as
 * "[missing: label]" so a draft reads as what it is).
 */
export function draftNotice(context: ElementContext, fields: Readonly<Record<string, string>>): Draft {
  const late = isLate(context);
  const elements: DraftElement[] = context.pack.elements.map((element) => {
    const required =
      element.required === 'always' || (element.required === 'when-late' && late) || (element.required === 'when-follow-up' && Boolean(context.followUp));
    const given = fields[element.id] !== undefined ? clean(fields[element.id]!) : '';
    const derived = deriveElement(element.id, context);
    const value = given || (derived !== undefined ? clean(derived) : '');
    const authors = !given && value ? [...new Set(derivedAuthors(element.id, context))] : [];
    return {
      id: element.id,
      label: element.label,
      legalSource: element.legalSource,
      required,
      ...(value ? { value } : {}),
      source: given ? 'field' : value ? 'derived' : 'missing',
      ...(authors.length ? { authors } : {}),
    };
  });
  const missing = elements.filter((e) => e.required && !e.value).map(({ id, label, legalSource }) => ({ id, label, legalSource }));
  const template = context.pack.templates[context.language];
  if (!template) throw new RangeError(`${context.pack.kind} has no ${context.language} template`);
  return { elements, missing, late, rendered: render(template, elements, context) };
}

function render(template: NoticeTemplate, elements: readonly DraftElement[], context: ElementContext): RenderedNotice {
  const view = (format: keyof typeof ESCAPES) => ({
    el: Object.fromEntries(elements.map((e) => [e.id, e.value ?? (e.required ? `[missing: ${e.label}]` : '')])),
    has: Object.fromEntries(elements.map((e) => [e.id, Boolean(e.value)])),
    incidentId: context.incident.id,
    late: isLate(context),
    followUp: Boolean(context.followUp),
    format,
  });
  const out = (format: keyof typeof ESCAPES, body: string) => Mustache.render(body, view(format), {}, { escape: ESCAPES[format] }).replace(/\n{3,}/g, '\n\n').trim();
  return {
    subject: out('subject', template.subject),
    text: out('text', template.text),
    ...(template.html ? { html: out('html', template.html) } : {}),
    ...(template.markdown ? { markdown: out('markdown', template.markdown) } : {}),
    ...(template.sms ? { sms: out('sms', template.sms) } : {}),
  };
}
