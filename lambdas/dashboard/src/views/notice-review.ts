import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NoticeDetailAnswer, NoticeListItem } from '../../../contracts/api-answers.js';
import type { NoticeActionBody } from '../../../contracts/notice-api.js';
import { useDesk } from '../desk.js';
import { html } from '../html.js';
import { NoticeEditor } from '../officer/notice-editor.js';
import { SubmissionForm } from '../officer/submission-form.js';
import { NoticeLetters } from '../officer/letters.js';

export type NoticeAct = (noticeId: string, action: NoticeActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;

/** What the reader of a notice was shown: pinned until they ask for the current content. */
interface Review {
  readonly version: number;
  readonly hash: string;
  readonly elementHashes: Readonly<Record<string, string>>;
  readonly subject: string;
  readonly text: string;
  readonly sms: string | undefined;
  readonly list: NoticeDetailAnswer['recipients'];
}

function pinReview(view: NoticeDetailAnswer): Review {
  const { rendered } = view.draft;
  return { version: view.notice.version, hash: view.contentHash, elementHashes: view.elementHashes, subject: rendered.subject, text: rendered.text, sms: rendered.sms, list: view.recipients };
}

function progressBar(notice: NoticeListItem, progress: NonNullable<NoticeDetailAnswer['progress']>) {
  const id = `progress-${notice.noticeId}`;
  return html`<div class="delivery">
    <label for=${id}>${`Delivery of ${notice.noticeId}`}</label>
    <progress id=${id} max="100" value=${progress.percent}></progress>
    <span class="progress-text">${` ${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} to review${progress.planned !== undefined ? ` of ${progress.planned} planned` : ''}`}</span>
  </div>`;
}

/**
 * One notice: what it is, who approved it, and while it is sent a progress bar of the deliveries.
 *
 * Four eyes means reading first: the notice as it would be sent (text and SMS), its recipients and its content
 * hash, and a button that approves exactly what is shown. What is shown is pinned until the reader asks for the
 * current content: the 2-second refresh never swaps it under them; the API refuses (naming what changed) an
 * approval of content that moved since.
 */
export function NoticeItem({ notice, view, audience, packName, act }: { readonly notice: NoticeListItem; readonly view: NoticeDetailAnswer | undefined; readonly audience: string | undefined; readonly packName: string | undefined; readonly act: NoticeAct }) {
  const { can } = useDesk();
  const [pinned, setPinned] = useState<Review>();
  const missing = view?.draft.missing ?? [];
  const reviewing = notice.status === 'draft' && view?.contentHash ? view : undefined;
  // A new version replaces what is shown (the API's answer after an edit); the same version stays pinned.
  const shown = reviewing ? (pinned && pinned.version === reviewing.notice.version ? pinned : pinReview(reviewing)) : undefined;
  useEffect(() => {
    if (shown && shown !== pinned) setPinned(shown);
  }, [shown?.version]);
  const moved = reviewing && shown && (shown.hash !== reviewing.contentHash || shown.list?.sha256 !== reviewing.recipients?.sha256);
  const approve = () =>
    shown &&
    act(notice.noticeId, { action: 'approve', expectedVersion: shown.version, expectedContentHash: shown.hash, reviewedElements: { ...shown.elementHashes }, ...(shown.list ? { expectedRecipientsHash: shown.list.sha256 } : {}) });
  // Task text is a suggestion (issue 26.2): in the notice only once an officer accepts it (an edit by them).
  const suggestions = reviewing ? reviewing.draft.elements.filter((e) => e.suggestion && !e.value) : [];
  const buttons = [
    ...suggestions.map((e) =>
      can('edit-notice')
        ? html`<button key=${`accept-${e.id}`} type="button" onClick=${() => act(notice.noticeId, { action: 'accept-suggestion', element: e.id, expectedVersion: reviewing!.notice.version, suggestionHash: e.suggestion!.hash })}>${`Accept the suggestion for ${e.label}`}</button>`
        : null,
    ),
    shown && can('approve-notice') ? html`<button key="approve" type="button" onClick=${approve}>${`Approve the content shown (version ${shown.version})`}</button>` : null,
    notice.status === 'approved' && notice.recipients && can('send-notice') ? html`<button key="send" type="button" onClick=${() => act(notice.noticeId, { action: 'send' })}>Send to the affected people</button>` : null,
  ].filter(Boolean);
  return html`<li class="notice" data-notice=${notice.noticeId}>
    <span>${`${notice.noticeId}: ${packName ?? view?.pack.name ?? notice.kind} (${notice.language}), ${notice.status}, version ${notice.version}${notice.approval ? `, approved by ${notice.approval.by}` : ''}${notice.submission ? `, submitted ref ${notice.submission.reference}` : ''}${notice.recipients ? `, ${notice.recipients.valid} recipients` : ''}`}</span>
    ${notice.status === 'draft' && missing.length ? html`<div class="hint">${`Missing before approval: ${missing.map((m) => `${m.label} (${m.legalSource}; ${m.language}${m.written ? `, holds ${m.written} text` : ''})`).join('; ')}`}</div>` : null}
    ${notice.status === 'draft' && view && can('edit-notice') ? h(NoticeEditor, { view, act }) : null}
    ${view?.progress ? progressBar(notice, view.progress) : null}
    ${view?.pack.channels.includes('letter') && ['sending', 'sent', 'submitted'].includes(notice.status) ? h(NoticeLetters, { notice }) : null}
    ${shown
      ? html`<details class="review" open>
          <summary>${`Read before approving: version ${shown.version} as it would be sent`}</summary>
          <pre class="rendered">${`Subject: ${shown.subject}\n\n${shown.text}`}</pre>
          ${shown.sms ? html`<pre class="rendered sms">${`SMS: ${shown.sms}`}</pre>` : null}
          <div class="hash">${`Content hash ${shown.hash}${shown.list ? ` · ${shown.list.valid} valid recipients of ${shown.list.rows} · list hash ${shown.list.sha256}` : ''}`}</div>
        </details>`
      : null}
    ${moved && reviewing
      ? html`<div class="hint changed" role="status">
          The notice or its recipient list as it stands now differs from what is shown; approving what is shown will be refused.${' '}
          <button type="button" onClick=${() => setPinned(pinReview(reviewing))}>Show the current content</button>
        </div>`
      : null}
    ${suggestions.map((e) => html`<div key=${`suggestion-${e.id}`} class="hint suggestion">${`Suggested for ${e.label} (${e.suggestion!.language}, from the response tasks): ${e.suggestion!.text}`}</div>`)}
    ${buttons.length ? html`<div class="notice-actions">${buttons}</div>` : null}
    ${['approved', 'sent'].includes(notice.status) && !notice.submission && audience !== 'people' && can('submit-notice') ? h(SubmissionForm, { notice, act }) : null}
  </li>`;
}
