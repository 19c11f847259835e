import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { NoticeDetailAnswer, NoticeListItem } from '../../../contracts/api-answers.js';
import type { NoticeActionBody } from '../../../contracts/notice-api.js';
import { useDesk } from '../desk.js';
import { html } from '../html.js';
import { usePacks } from '../officer/notice-draft.js';
import { NoticeEditor } from '../officer/notice-editor.js';
import { renderedFormats } from '../officer/notice-preview.js';
import { NoticeVersions } from '../officer/notice-versions.js';
import { RecipientUpload } from '../officer/recipient-upload.js';
import { SubmissionForm } from '../officer/submission-form.js';
import { deliveryProgress, reviewList } from './notice-delivery.js';
import { NoticeLetters } from '../officer/letters.js';

export type NoticeAct = (noticeId: string, action: NoticeActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;

/** What the reader of a notice was shown: pinned until they ask for the current content. */
interface Review {
  readonly version: number;
  readonly hash: string;
  readonly elementHashes: Readonly<Record<string, string>>;
  readonly rendered: NoticeDetailAnswer['draft']['rendered'];
  readonly list: NoticeDetailAnswer['recipients'];
}

function pinReview(view: NoticeDetailAnswer): Review {
  return { version: view.notice.version, hash: view.contentHash, elementHashes: view.elementHashes, rendered: view.draft.rendered, list: view.recipients };
}

/** The approval's body: exactly the version, content hash, element hashes and list hash shown. */
export function approvalOf(shown: Review): NoticeActionBody {
  return { action: 'approve', expectedVersion: shown.version, expectedContentHash: shown.hash, reviewedElements: { ...shown.elementHashes }, ...(shown.list ? { expectedRecipientsHash: shown.list.sha256 } : {}) };
}

/**
 * One notice: what it is, who approved it; while a draft, its editor beside the rendered preview, its versions,
 * its recipient list and what an approver reads; while it is sent, a progress bar and the deliveries to review.
 *
 * Four eyes means reading first: the notice as it would be sent (every format), its recipients and its content
 * hash, and a button that approves exactly what is shown. What is shown is pinned until the reader asks for the
 * current content: the 2-second refresh never swaps it under them; the API refuses (naming what changed) an
 * approval of content that moved since.
 */
export function NoticeItem({ notice, view, audience, packName, act }: { readonly notice: NoticeListItem; readonly view: NoticeDetailAnswer | undefined; readonly audience: string | undefined; readonly packName: string | undefined; readonly act: NoticeAct }) {
  const { can } = useDesk();
  const pack = usePacks().find((p) => p.kind === notice.kind);
  const [pinned, setPinned] = useState<Review>();
  const [busy, setBusy] = useState<string>();
  const missing = view?.draft.missing ?? [];
  const reviewing = notice.status === 'draft' && view?.contentHash ? view : undefined;
  // A new version replaces what is shown (the API's answer after an edit); the same version stays pinned.
  const shown = reviewing ? (pinned && pinned.version === reviewing.notice.version ? pinned : pinReview(reviewing)) : undefined;
  useEffect(() => {
    if (shown && shown !== pinned) setPinned(shown);
  }, [shown?.version]);
  const moved = reviewing && shown && (shown.hash !== reviewing.contentHash || shown.list?.sha256 !== reviewing.recipients?.sha256);
  const toList = (view?.pack.channels ?? pack?.channels ?? []).some((c) => c === 'email' || c === 'sms');
  /** One action at a time per notice: its button (and the others) wait until the API answered. */
  const run = (what: string, action: NoticeActionBody) => {
    if (busy) return;
    setBusy(what);
    void act(notice.noticeId, action).finally(() => setBusy(undefined));
  };
  const button = (what: string, label: string, action: NoticeActionBody) =>
    html`<button key=${what} type="button" disabled=${Boolean(busy)} onClick=${() => run(what, action)}>${busy === what ? `${label}…` : label}</button>`;
  // Task text is a suggestion (issue 26.2): in the notice only once an officer accepts it (an edit by them).
  const suggestions = reviewing ? reviewing.draft.elements.filter((e) => e.suggestion && !e.value) : [];
  const buttons = [
    ...suggestions.map((e) =>
      can('edit-notice') ? button(`accept-${e.id}`, `Accept the suggestion for ${e.label}`, { action: 'accept-suggestion', element: e.id, expectedVersion: reviewing!.notice.version, suggestionHash: e.suggestion!.hash }) : null,
    ),
    shown && can('approve-notice') ? button('approve', `Approve the content shown (version ${shown.version})`, approvalOf(shown)) : null,
    notice.status === 'approved' && notice.recipients && can('send-notice') ? button('send', 'Send to the affected people', { action: 'send' }) : null,
  ].filter(Boolean);
  return html`<li class="notice" data-notice=${notice.noticeId} data-status=${notice.status}>
    <span>${`${notice.noticeId}: ${packName ?? view?.pack.name ?? notice.kind} (${notice.language}), ${notice.status}, version ${notice.version}${notice.approval ? `, approved by ${notice.approval.by}` : ''}${notice.submission ? `, submitted ref ${notice.submission.reference}` : ''}${notice.recipients ? `, ${notice.recipients.valid} recipients` : ''}`}</span>
    ${notice.status === 'draft' && missing.length ? html`<div class="hint">${`Missing before approval: ${missing.map((m) => `${m.label} (${m.legalSource}; ${m.language}${m.written ? `, holds ${m.written} text` : ''})`).join('; ')}`}</div>` : null}
    ${notice.status === 'draft' && view && can('edit-notice') ? h(NoticeEditor, { view, act }) : null}
    ${view && view.versions.length ? h(NoticeVersions, { view }) : null}
    ${toList && ['draft', 'approved'].includes(notice.status) && can('upload-recipients') ? h(RecipientUpload, { notice, ...(view?.recipients?.regions ? { differFromFacts: view.recipients.regions.differFromFacts } : {}) }) : null}
    ${view?.progress ? deliveryProgress(notice, view.progress) : null}
    ${view ? reviewList(notice, view.needsReview) : null}
    ${view?.pack.channels.includes('letter') && ['sending', 'sent', 'submitted'].includes(notice.status) ? h(NoticeLetters, { notice }) : null}
    ${shown
      ? html`<details class="review" open>
          <summary>${`Read before approving: version ${shown.version} as it would be sent`}</summary>
          ${renderedFormats(shown.rendered, notice.noticeId, 'review')}
          <div class="hash">${`Content hash ${shown.hash}${shown.list ? ` · ${shown.list.valid} valid recipients of ${shown.list.rows} · list hash ${shown.list.sha256}` : ''}`}</div>
          ${toList && !shown.list ? html`<p class="hint">No recipient list is attached: upload it before approving (a list attached later voids the approval).</p>` : null}
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
