import type { NoticeListItem } from '../../../contracts/api-answers.js';
import { html } from '../html.js';
import { progressText, reviewRow, type Delivery, type Progress } from './delivery-text.js';

/**
 * A notice's delivery while it is sent: a bar of the recipients accounted for (sent, parked, failed, duplicates)
 * against the recipients planned, from the notice view's `progress` (re-read with the incident every two seconds).
 */
export function deliveryProgress(notice: NoticeListItem, progress: Progress) {
  const id = `progress-${notice.noticeId}`;
  const total = progress.planned;
  return html`<div class="delivery" data-percent=${String(progress.percent)} data-total=${total === undefined ? '' : String(total)}>
    <label for=${id}>${`Delivery of ${notice.noticeId}`}</label>
    <progress id=${id} max="100" value=${progress.percent} aria-valuetext=${`${progress.percent} %`}></progress>
    <span class="progress-text">${` ${progressText(progress)}`}</span>
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
        (d) => html`<tr key=${d.key} data-line=${d.line}>${reviewRow(d).map((cell, i) => html`<td key=${i}>${cell}</td>`)}</tr>`,
      )}
    </tbody>
  </table>`;
}
