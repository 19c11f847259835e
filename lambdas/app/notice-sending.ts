import { ConfigurationError, IllegalTransitionError } from '../domain/errors.js';
import type { Notice } from '../domain/notices/notice.js';
import { packForNotice } from '../domain/notices/us-variants.js';
import { channelOf, recipientKey, type Recipient } from '../domain/notices/recipients.js';
import { reachOf } from '../domain/notices/reach.js';
import { NOTICE_LINK_SLOT } from '../domain/notices/notice-link.js';
import type { DeliveryProgress, NoticeRef } from '../ports/delivery-store.js';
import { PermanentSendError, SendNotAcceptedError, type SendChunk } from '../ports/notice-delivery.js';
import { NoticeNotFoundError } from './errors.js';
import { issueNoticeLink } from './notice-pages.js';
import { writeLetter, writeLetterBatch } from './letters.js';
import { packOf, type NoticeDeliveryDeps } from './notice-deps.js';

/*
 * Sending a notice's chunks (the sender's path; ADR 0018 session 14). Apart from app/notices.ts so that the
 * sender's cold start loads what a chunk needs (the pack's reach, the deliveries, the private links, letters)
 * and not the notice domain, the incident's decisions and the regime clocks with luxon and the holiday
 * calendars: those are imported by the chunk that completes a notice, once per notice.
 */

/** Recipients with an outcome: sent, failed, parked for review, or a duplicate address collapsed. */
export function accounted(progress: DeliveryProgress): number {
  return progress.sent + progress.failed + progress.parked + progress.duplicates;
}

function mask(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return `${address.slice(0, 3)}***${address.slice(-2)}`;
}

/** A letter's address as kept with the delivery record: the country and the postcode's first characters only. */
function maskLetter(recipient: Recipient): string {
  const { country, postcode } = recipient.postal!;
  return `letter ${country}${postcode ? ` ${postcode.slice(0, 2)}***` : ''}`;
}

export interface ChunkReport {
  readonly sent: number;
  readonly skipped: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly parked: number;
}

/** A transient failure mid-chunk: the chunk is redelivered later (SQS visibility timeout); done recipients are no-ops. */
export class ChunkRetryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChunkRetryError';
  }
}

/**
 * Sends one chunk: for each recipient, claim → pace → send → record. A retry, a redelivery or a crash never
 * sends anyone twice: a claim that finds an interrupted send parks it for review instead of re-sending.
 */
export async function sendChunk(deps: NoticeDeliveryDeps, chunk: SendChunk): Promise<ChunkReport> {
  const notice = await deps.notices.getNotice(chunk.incidentId, chunk.noticeId);
  if (!notice) throw new NoticeNotFoundError(chunk.incidentId, chunk.noticeId);
  const report = { sent: 0, skipped: 0, duplicates: 0, failed: 0, parked: 0 };
  if (notice.status !== 'sending' && notice.status !== 'sent') return { ...report, skipped: chunk.recipients.length };
  const content = notice.approval?.rendered;
  if (!content) throw new Error(`Notice ${notice.noticeId} has no approved content`);
  // The variant's pack for a US resident notice: its states' email rules chose each person's channel at planning.
  const pack = packForNotice(packOf(notice.kind), notice.obligation);
  const reach = reachOf(pack);
  const leaseMs = deps.sendLeaseMs ?? 120_000;
  for (const recipient of chunk.recipients) {
    const { channel, address } = channelOf(recipient, reach);
    const key = recipientKey(notice.noticeId, address);
    const claim = await deps.deliveries.claim(chunk, key, { line: recipient.line, channel, maskedAddress: channel === 'letter' ? maskLetter(recipient) : mask(address) }, deps.clock.now(), leaseMs);
    if (claim.outcome === 'busy') throw new ChunkRetryError(`recipient at line ${recipient.line} is being sent by another worker`);
    if (claim.outcome === 'duplicate') {
      report.duplicates++;
      continue;
    }
    if (claim.outcome === 'parked') {
      report.parked++;
      continue;
    }
    if (claim.outcome === 'done') {
      report.skipped++;
      continue;
    }
    // An SMS links to the whole notice: an approved SMS text without the link (approved before issue 26.5, when
    // it said "we have emailed you") is never sent to someone who got no email.
    if (channel === 'sms' && !content.sms?.includes(NOTICE_LINK_SLOT)) {
      await deps.deliveries.markFailed(chunk, key, 'the approved SMS text has no link to the notice page: edit the notice and approve it again', deps.clock.now());
      report.failed++;
      continue;
    }
    // What must exist before anything goes out (the private link, the letter's PDF): a failure here sent nothing.
    let prepared: { smsText?: string; letterId?: string };
    try {
      prepared = await prepareSend(deps, notice, recipient, channel, key, content.sms);
    } catch (error) {
      await deps.deliveries.release(chunk, key, `not prepared: ${(error as Error).name}`, deps.clock.now());
      throw new ChunkRetryError(`sending paused at line ${recipient.line}: ${(error as Error).message}`, { cause: error });
    }
    if (prepared.letterId) {
      await deps.deliveries.markSent(chunk, key, prepared.letterId, deps.clock.now());
      report.sent++;
      continue;
    }
    await deps.rate.take();
    const tags = { incidentId: notice.incidentId, noticeId: notice.noticeId, recipient: key };
    try {
      const { messageId } =
        channel === 'email'
          ? await deps.email.send({ to: address, subject: content.subject, text: content.text, ...(content.html ? { html: content.html } : {}), tags })
          : await deps.sms.send({ phone: address, text: prepared.smsText!, tags });
      await deps.deliveries.markSent(chunk, key, messageId, deps.clock.now());
      report.sent++;
    } catch (error) {
      if (error instanceof PermanentSendError) {
        await deps.deliveries.markFailed(chunk, key, error.message, deps.clock.now());
        report.failed++;
        continue;
      }
      if (error instanceof SendNotAcceptedError) {
        await deps.deliveries.release(chunk, key, error.message, deps.clock.now());
        throw new ChunkRetryError(`sending paused at line ${recipient.line}: ${error.message}`, { cause: error });
      }
      // It may have gone out (a timeout after the provider accepted it): never risk telling someone twice.
      await deps.deliveries.park(chunk, key, `outcome unknown: ${(error as Error).name ?? 'error'}`, deps.clock.now());
      report.parked++;
    }
  }
  await completeIfDone(deps, chunk);
  return report;
}

/**
 * The part of a send that goes before the provider: an SMS's private link to the notice page (issued for this
 * person and the approved version, its hash stored), a letter's PDF (rendered and stored: for a letter that is
 * the send; the printed batch is mailed by the organisation).
 */
async function prepareSend(deps: NoticeDeliveryDeps, notice: Notice, recipient: Recipient, channel: 'email' | 'sms' | 'letter', key: string, sms: string | undefined): Promise<{ smsText?: string; letterId?: string }> {
  if (channel === 'sms') {
    if (!deps.pages) throw new ConfigurationError('The notice page (NOTICE_PAGE_URL) is not configured: an SMS must link to the notice');
    const link = await issueNoticeLink({ ...deps.pages, notices: deps.notices, clock: deps.clock }, { incidentId: notice.incidentId, noticeId: notice.noticeId }, notice.approval!.version, key);
    return { smsText: sms!.split(NOTICE_LINK_SLOT).join(link.url) };
  }
  if (channel === 'letter') {
    if (!deps.letters) throw new ConfigurationError('Letters are not configured in this function');
    const letter = await writeLetter(deps.letters, notice, recipient, key, deps.organisation);
    return { letterId: `letter:${letter.sha256.slice(0, 32)}` };
  }
  return {};
}

/** Marks the notice sent once every queued recipient is accounted for (sent, failed, parked or duplicate). */
export async function completeIfDone(deps: NoticeDeliveryDeps, ref: NoticeRef): Promise<boolean> {
  const notice = await deps.notices.getNotice(ref.incidentId, ref.noticeId);
  if (!notice || notice.status !== 'sending' || notice.sending?.planned === undefined) return false;
  const progress = await deps.deliveries.progress(ref);
  if (accounted(progress) < notice.sending.planned) return false;
  // The completion decides on the notice and on the incident: the notice domain and the regime clocks, loaded
  // by the chunk that completes a notice (once per notice), not at every sender's cold start.
  const { actOnNotice } = await import('./notice-decisions.js');
  const summary = `${progress.sent} sent, ${progress.failed} failed, ${progress.parked} parked for review, ${progress.duplicates} duplicate addresses collapsed`;
  try {
    await actOnNotice(deps, ref.incidentId, ref.noticeId, { type: 'complete-sending', summary }, 'breachclock');
  } catch (error) {
    if (error instanceof IllegalTransitionError) return false; // another worker completed it first
    throw error;
  }
  // The letters written, bound into one print-ready file (by the sending function, which has the renderer).
  if (deps.letters) await writeLetterBatch(deps.letters, ref);
  // The list has served its purpose: the delivery records are the proof, the addresses go.
  if (notice.recipients) await deps.lists.delete(notice.recipients.objectKey).catch(() => undefined);
  return true;
}
