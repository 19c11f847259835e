import type { NoticeDetailAnswer, NoticeListItem } from '../../../contracts/api-answers.js';
import { html } from '../html.js';

type Progress = NonNullable<NoticeDetailAnswer['progress']>;
type Delivery = NoticeDetailAnswer['needsReview'][number];

const REVIEW_STATUS: Readonly<Partial<Record<Delivery['status'], string>>> = {
  unknown: 'parked: the outcome is unknown (never sent again by itself)',
  failed: 'failed',
  bounced: 'bounced',
  complained: 'complained (marked as spam)',
};

/**
 * A notice's delivery while it is sent: a bar of the recipients accounted for (sent, parked, failed, duplicates)
 * against the recipients planned, from the notice view's `progress` (re-read with the incident every two seconds).
 */
export function deliveryProgress(notice: NoticeListItem, progress: Progress) {
  const id = `progress-${notice.noticeId}`;
  const total = progress.planned;
  const accounted = progress.sent + progress.parked + progress.failed + progress.duplicates;
  return html`<div class="delivery" data-percent=${String(progress.percent)} data-total=${total === undefined ? '' : String(total)}>
    <label for=${id}>${`Delivery of ${notice.noticeId}`}</label>
    <progress id=${id} max="100" value=${progress.percent} aria-valuetext=${`${progress.percent} %`}></progress>
    <span class="progress-text">${` ${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} parked for review, ${progress.duplicates} same address twice; ${total === undefined ? 'planning the sends' : `${accounted} of ${total} accounted for`}`}</span>
  </div>`;
}

/**
 * The deliveries an officer has to look at (parked, failed, bounced, complained): by the list's line and the
 * masked address, never the address itself, with the last error. At most the first 100 (the API's page).
 */
export function reviewList(notice: NoticeListItem, needsReview: readonly Delivery[]) {
  if (!needsReview.length) return null;
  return html`<table class="needs-review" data-review=${notice.noticeId}>
    <caption>${`Recipients to review (${needsReview.length}${needsReview.length >= 100 ? ', the first 100' : ''})`}</caption>
    <thead><tr><th scope="col">Line</th><th scope="col">Channel</th><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
    <tbody>
      ${needsReview.map(
        (d) => html`<tr key=${d.key} data-line=${d.line}><td>${String(d.line)}</td><td>${d.channel}</td><td>${d.maskedAddress}</td><td>${REVIEW_STATUS[d.status] ?? d.status}</td><td>${String(d.attempts)}</td><td>${d.lastError ?? ''}</td></tr>`,
      )}
    </tbody>
  </table>`;
}
