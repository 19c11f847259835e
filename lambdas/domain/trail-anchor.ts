import type { TimelineEvent } from './incident.js';
import type { OutboxMessage } from './messages.js';
import { canonical, type ChainedEvent, type TrailHead } from './trail.js';

/**
 * Anchors: the head of an incident's hash chain, signed with a key the table's writers do not hold and kept
 * outside the table (on AWS an S3 bucket with Object Lock in compliance mode, signed by a KMS key; locally an
 * append-only file, signed with an Ed25519 key file). Someone who can write the table can edit an event and
 * re-chain everything after it, so the chain alone proves nothing against them; an anchor taken before the
 * edit no longer matches the re-chained event at its place, and its signature cannot be made again.
 */
export interface TrailAnchor {
  readonly incidentId: string;
  /** The chain position and hash anchored (the incident's head when the anchor was taken). */
  readonly seq: number;
  readonly hash: string;
  /** Real time the anchor was taken (not the stack's virtual time). */
  readonly anchoredAt: string;
  /** What caused it: the event type (an approval, decision, submission, closing) or "hourly". */
  readonly reason: string;
  /** The signing key (KMS key ARN, or "local-ed25519:<fingerprint>"). */
  readonly keyId: string;
  /** Base64 signature over `anchorStatement` (ECDSA P-256 SHA-256 DER on AWS, Ed25519 locally). */
  readonly signature: string;
}

export type UnsignedAnchor = Omit<TrailAnchor, 'signature'>;

/** The bytes signed: a canonical encoding of everything in the anchor but the signature. */
export function anchorStatement(anchor: UnsignedAnchor): string {
  const { incidentId, seq, hash, anchoredAt, reason, keyId } = anchor;
  return canonical({ purpose: 'breachclock trail anchor v1', incidentId, seq, hash, anchoredAt, reason, keyId });
}

/** Events after which the head is anchored at once: what an officer must later prove. */
export const ANCHORED_EVENTS: ReadonlySet<string> = new Set([
  'notice.approved',
  'notice.submitted',
  'notice.sending',
  'notice.sent',
  'notice.withdrawn',
  'incident.decision-proposed',
  'incident.decision-confirmed',
  'incident.submission-recorded',
  'incident.notice-approved',
  'incident.regime-dismissed',
  'incident.dismissed',
  'incident.closed',
]);

/** The hourly schedule's input to the clock function: anchor the open incidents whose trail moved. */
export const ANCHOR_TICK = { breachclockTask: 'anchor-open-trails' } as const;

export const TRAIL_ANCHOR_CHANNEL = 'trail-anchor' as const;

/**
 * The outbox message that anchors the trail after an anchored event: written in the same transaction as the
 * event (so a crash cannot lose it) and delivered like any message (retries, redrive, failure alarm). Its id
 * is the chain position, so a retried write never anchors twice for one event.
 */
export function anchorMessageFor(incidentId: string, event: ChainedEvent): OutboxMessage | undefined {
  if (!ANCHORED_EVENTS.has(event.type)) return undefined;
  return {
    messageId: `trail-anchor-${String(event.seq).padStart(7, '0')}`,
    incidentId,
    channel: TRAIL_ANCHOR_CHANNEL,
    subject: `Anchor the audit trail after ${event.type}`,
    /** The anchor's reason. */
    text: event.type,
    createdAt: event.at,
  };
}

/** An hourly anchor is needed when the head moved since the newest anchor (or there is none yet). */
export function needsAnchor(head: TrailHead | undefined, newest: Pick<TrailAnchor, 'seq' | 'hash'> | undefined): boolean {
  if (!head) return false;
  return !newest || newest.seq !== head.seq || newest.hash !== head.hash;
}

export type AnchorProblem =
  | { readonly kind: 'anchor-signature'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'anchor-mismatch'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'approval-mismatch'; readonly seq: number; readonly detail: string };

export interface AnchorCheck {
  readonly anchors: number;
  /** The newest anchor with a valid signature, and whether the chain agrees with it. */
  readonly newest: { readonly seq: number; readonly hash: string; readonly anchoredAt: string; readonly reason: string; readonly agrees: boolean } | null;
  /** The chain agrees with signed anchors up to this event (0 when no anchor agrees). */
  readonly agreesThrough: number;
  /** Events after the newest agreeing anchor: their integrity rests on the chain alone until the next anchor. */
  readonly unanchoredEvents: number;
  readonly problems: readonly AnchorProblem[];
}

/**
 * Checks the stored chain against the signed anchors. An anchor whose signature fails is reported (someone
 * wrote into the anchor store) and otherwise ignored. Among the valid ones, the chain must hold each anchored
 * hash at its place: the first anchor that disagrees names the last event known good (the newest agreeing
 * anchor's) and the first place known bad, so the change lies after the one and at or before the other.
 */
export function checkAnchors(events: readonly ChainedEvent[], anchors: readonly { readonly anchor: TrailAnchor; readonly signatureValid: boolean }[]): AnchorCheck {
  const problems: AnchorProblem[] = [];
  const bySeq = new Map(events.map((event) => [event.seq, event]));
  const lastSeq = events.reduce((max, event) => Math.max(max, event.seq), 0);
  const valid: TrailAnchor[] = [];
  for (const { anchor, signatureValid } of anchors) {
    if (signatureValid) valid.push(anchor);
    else problems.push({ kind: 'anchor-signature', seq: anchor.seq, detail: `the anchor of ${anchor.anchoredAt} (event ${anchor.seq}, ${anchor.reason}) does not carry a valid signature of ${anchor.keyId}: it was not written by breachclock` });
  }
  valid.sort((a, b) => a.seq - b.seq || a.anchoredAt.localeCompare(b.anchoredAt));
  const agrees = (anchor: TrailAnchor) => bySeq.get(anchor.seq)?.hash === anchor.hash;
  let agreesThrough = 0;
  let good: TrailAnchor | undefined;
  for (const anchor of valid) {
    if (agrees(anchor)) {
      if (!problems.some((p) => p.kind === 'anchor-mismatch')) {
        agreesThrough = anchor.seq;
        good = anchor;
      }
      continue;
    }
    if (problems.some((p) => p.kind === 'anchor-mismatch')) continue;
    const at = bySeq.get(anchor.seq);
    const since = good ? `events 1–${good.seq} agree with the anchor of ${good.anchoredAt}` : 'no earlier anchor agrees';
    problems.push({
      kind: 'anchor-mismatch',
      seq: anchor.seq,
      detail: at
        ? `event ${anchor.seq} (${at.type}) does not match the anchor of ${anchor.anchoredAt} (${anchor.reason}): ${since}; the trail was changed after event ${good?.seq ?? 0} and at or before event ${anchor.seq}, and re-chained`
        : `the anchor of ${anchor.anchoredAt} (${anchor.reason}) covers event ${anchor.seq} but the trail ends at event ${lastSeq}: ${since}; events after ${good?.seq ?? 0} were removed or replaced`,
    });
  }
  const newestAnchor = [...valid].sort((a, b) => a.anchoredAt.localeCompare(b.anchoredAt) || a.seq - b.seq).at(-1);
  return {
    anchors: anchors.length,
    newest: newestAnchor ? { seq: newestAnchor.seq, hash: newestAnchor.hash, anchoredAt: newestAnchor.anchoredAt, reason: newestAnchor.reason, agrees: agrees(newestAnchor) } : null,
    agreesThrough,
    unanchoredEvents: Math.max(0, lastSeq - agreesThrough),
    problems,
  };
}

/** What a notice records of its approval (the fields the cross-check compares). */
export interface RecordedApproval {
  readonly noticeId: string;
  readonly approval?: { readonly by: string; readonly at: string; readonly contentHash?: string; readonly recipients?: { readonly sha256: string } };
}

/**
 * Cross-checks each approved notice against its approval event on the trail: the approver, the time, the
 * content hash and the recipient list's hash recorded on the notice must be those the trail recorded. A notice
 * item edited in the table (another approver, other content) disagrees with its event, and the event cannot
 * be edited without breaking the chain or the anchors.
 */
export function checkApprovals(notices: readonly RecordedApproval[], events: readonly (TimelineEvent & { readonly seq?: number })[]): AnchorProblem[] {
  const problems: AnchorProblem[] = [];
  for (const notice of notices) {
    const approval = notice.approval;
    if (!approval) continue;
    const approved = events.filter((e) => e.type === 'notice.approved' && (e.data as { noticeId?: unknown } | undefined)?.noticeId === notice.noticeId).at(-1);
    if (!approved) {
      problems.push({ kind: 'approval-mismatch', seq: 0, detail: `notice ${notice.noticeId} records an approval by ${approval.by} at ${approval.at}, but the trail has no approval of it` });
      continue;
    }
    const data = (approved.data ?? {}) as { contentHash?: unknown; recipientsHash?: unknown };
    const differences: string[] = [];
    if (approved.actor !== approval.by) differences.push(`approver ${approval.by} on the notice, ${approved.actor} on the trail`);
    if (approved.at !== approval.at) differences.push(`time ${approval.at} on the notice, ${approved.at} on the trail`);
    if (approval.contentHash !== undefined && data.contentHash !== approval.contentHash) differences.push('the approved content hash differs');
    if ((approval.recipients?.sha256 ?? undefined) !== (typeof data.recipientsHash === 'string' ? data.recipientsHash : undefined)) differences.push('the approved recipient list hash differs');
    if (differences.length) problems.push({ kind: 'approval-mismatch', seq: approved.seq ?? 0, detail: `notice ${notice.noticeId} disagrees with its approval event ${approved.seq ?? ''}: ${differences.join('; ')}` });
  }
  return problems;
}
