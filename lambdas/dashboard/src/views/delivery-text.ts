import type { NoticeDetailAnswer } from '../../../contracts/api-answers.js';

export type Progress = NonNullable<NoticeDetailAnswer['progress']>;
export type Delivery = NoticeDetailAnswer['needsReview'][number];

const REVIEW_STATUS: Readonly<Partial<Record<Delivery['status'], string>>> = {
  unknown: 'parked: the outcome is unknown (never sent again by itself)',
  failed: 'failed',
  bounced: 'bounced',
  complained: 'complained (marked as spam)',
};

/** The delivery bar's words: every count, and how many of the planned recipients are accounted for. */
export function progressText(progress: Progress): string {
  const accounted = progress.sent + progress.parked + progress.failed + progress.duplicates;
  const total = progress.planned === undefined ? 'planning the sends' : `${accounted} of ${progress.planned} accounted for`;
  return `${progress.percent} %: ${progress.sent} sent, ${progress.delivered} delivered, ${progress.bounced} bounced, ${progress.failed} failed, ${progress.parked} parked for review, ${progress.duplicates} same address twice; ${total}`;
}

/** A delivery to review as the table's cells: line, channel, masked address (never the address), status, attempts, last error. */
export function reviewRow(delivery: Delivery): string[] {
  return [String(delivery.line), delivery.channel, delivery.maskedAddress, REVIEW_STATUS[delivery.status] ?? delivery.status, String(delivery.attempts), delivery.lastError ?? ''];
}
