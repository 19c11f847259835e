import type { NoticeDetailAnswer, NoticePackSummary } from '../../../contracts/api-answers.js';
import { html } from '../html.js';
import { emailForFrame } from './email-frame.js';
import { usePacks } from './notice-draft.js';

type Rendered = NoticeDetailAnswer['draft']['rendered'];
type PackElement = NoticePackSummary['elements'][number];

const CONDITIONS: Readonly<Record<PackElement['required'], string>> = {
  always: 'always required',
  'when-late': 'required once the deadline has passed',
  'when-follow-up': 'required in a follow-up',
  when: 'required when its condition holds',
  no: 'optional',
};

function conditionOf(element: PackElement): string {
  if (element.required !== 'when' || !element.when) return CONDITIONS[element.required];
  const parts = [
    ...(element.when.dataCategoriesAny ? [`data exposed: ${element.when.dataCategoriesAny.join(' or ')}`] : []),
    ...(element.when.facts ? [`recorded yes: ${element.when.facts.join(' and ')}`] : []),
    ...(element.when.jurisdictionsAny ? [`the notice covers ${element.when.jurisdictionsAny.join(' or ')}`] : []),
  ];
  return `required when ${parts.join('; ')}`;
}

/** The formats the server rendered, one panel each, in the order a reader meets them (`where`: editor or review, for the frame's name). */
export function renderedFormats(rendered: Rendered, noticeId: string, where: 'preview' | 'review') {
  const textClass = where === 'review' ? 'rendered' : 'preview-text';
  const email = rendered.html ? emailForFrame(rendered.html) : undefined;
  return html`<div class="formats">
    ${email
      ? html`<section class="format format-html" aria-label="HTML email">
          <h5>HTML email</h5>
          <iframe class="email-frame" title=${`HTML email of ${noticeId} (${where})`} sandbox="" referrerpolicy="no-referrer" srcdoc=${email.srcdoc}></iframe>
          ${email.stylesLeftOut ? html`<p class="hint">${`Shown without the email's ${email.stylesLeftOut} inline style${email.stylesLeftOut === 1 ? '' : 's'}: the desk's content security policy does not apply them; mail clients do.`}</p>` : null}
        </section>`
      : null}
    <section class="format format-text" aria-label="Plain text">
      <h5>Plain text</h5>
      <pre class=${textClass}>${`Subject: ${rendered.subject}\n\n${rendered.text}`}</pre>
    </section>
    ${rendered.sms
      ? html`<section class="format format-sms" aria-label="SMS">
          <h5>${`SMS (${rendered.sms.length} characters)`}</h5>
          <pre class=${`${textClass} sms`}>${rendered.sms}</pre>
        </section>`
      : null}
    ${rendered.markdown
      ? html`<section class="format format-markdown" aria-label="Portal Markdown">
          <h5>Portal Markdown (source, as pasted into the authority's form)</h5>
          <pre class=${`${textClass} markdown`}>${rendered.markdown}</pre>
        </section>`
      : null}
  </div>`;
}

/**
 * The notice as the server renders it now, in every format its pack has, beside the editor: refreshed with each
 * saved edit (each is a new version). Missing elements and the elements the law requires only sometimes are
 * named with their legal source.
 */
export function NoticePreview({ view, unsaved }: { readonly view: NoticeDetailAnswer; readonly unsaved: boolean }) {
  const { notice, draft } = view;
  const pack = usePacks().find((p) => p.kind === view.pack.kind);
  const conditional = (pack?.elements ?? []).filter((e) => e.required !== 'always' && e.required !== 'no');
  const required = new Map(draft.elements.map((e) => [e.id as string, e.required]));
  return html`<div class="preview" data-preview=${notice.noticeId}>
    <h4>${`As rendered: version ${notice.version}${unsaved ? ' (unsaved edits are not in it yet)' : ''}`}</h4>
    <p class="hint">${`${view.pack.name} · sent by ${view.pack.channels.join(', ')} · ${view.pack.legalSource}`}</p>
    ${draft.missing.length
      ? html`<div class="missing-elements">
          <strong>Missing before approval</strong>
          <ul>${draft.missing.map((m) => html`<li key=${m.id}>${`${m.label} (${m.legalSource})${m.written ? `: holds ${m.written} text, needs ${m.language}` : ''}`}</li>`)}</ul>
        </div>`
      : null}
    ${conditional.length
      ? html`<div class="conditional-elements">
          <strong>Required only sometimes</strong>
          <ul>
            ${conditional.map(
              (e) =>
                html`<li key=${e.id} data-element=${e.id}>${`${e.label} (${e.legalSource}): ${conditionOf(e)}; ${required.get(e.id) ? 'required now' : 'not required now'}`}</li>`,
            )}
          </ul>
        </div>`
      : null}
    ${renderedFormats(draft.rendered, notice.noticeId, 'preview')}
  </div>`;
}
