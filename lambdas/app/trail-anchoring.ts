import { anchorStatement, checkAnchors, checkApprovals, needsAnchor, type AnchorCheck, type AnchorProblem, type RecordedApproval, type TrailAnchor } from '../domain/trail-anchor.js';
import { verifyTrail, type ChainedEvent, type TrailVerification } from '../domain/trail.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { IncidentDetail, IncidentReader } from '../ports/incident-store.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { TrailAnchorLog, TrailSignatureVerifier, TrailSigner } from '../ports/trail-anchors.js';
import { IncidentNotFoundError } from './errors.js';

export interface AnchorDeps {
  readonly reader: Pick<IncidentReader, 'getIncident'>;
  readonly signer: TrailSigner;
  readonly log: TrailAnchorLog;
  /** Anchors carry real time, whatever the stack's virtual clock says. */
  readonly wallClock?: Clock;
}

/** Signs the incident's current trail head and appends it to the anchor log; undefined when it has no trail yet. */
export async function anchorTrail(deps: AnchorDeps, incidentId: string, reason: string): Promise<TrailAnchor | undefined> {
  const incident = await deps.reader.getIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  if (!incident.trail) return undefined;
  const unsigned = { incidentId, seq: incident.trail.seq, hash: incident.trail.hash, anchoredAt: (deps.wallClock ?? systemClock).now().toISOString(), reason, keyId: deps.signer.keyId };
  const anchor: TrailAnchor = { ...unsigned, signature: await deps.signer.sign(anchorStatement(unsigned)) };
  await deps.log.append(anchor);
  return anchor;
}

/**
 * The outbox's trail-anchor channel: an anchored event's message anchors the head as it is when delivered
 * (at or after that event). A failure is retried like any delivery and alarmed when it gives up.
 */
export function trailAnchorSender(deps: AnchorDeps): MessageSender {
  return {
    async send(message) {
      const anchor = await anchorTrail(deps, message.incidentId, message.text);
      return anchor ? { providerMessageId: `anchor:${anchor.seq}:${anchor.anchoredAt}` } : {};
    },
  };
}

/**
 * At least hourly: every open incident whose head moved since its newest anchor is anchored. One incident's
 * failure does not stop the others; the count of each outcome is returned for the log.
 */
export async function anchorOpenTrails(deps: AnchorDeps & { readonly reader: Pick<IncidentReader, 'getIncident' | 'listOpenIncidents'> }): Promise<{ anchored: number; unchanged: number; failed: number }> {
  const result = { anchored: 0, unchanged: 0, failed: 0 };
  for (const incident of await deps.reader.listOpenIncidents()) {
    try {
      const [newest] = await deps.log.list(incident.id, 1);
      if (!needsAnchor(incident.trail, newest)) {
        result.unchanged++;
        continue;
      }
      await anchorTrail(deps, incident.id, 'hourly');
      result.anchored++;
    } catch {
      result.failed++;
    }
  }
  return result;
}

export interface VerifyTrailDeps {
  readonly store: Pick<IncidentReader, 'getIncidentDetail'>;
  /** Notices' recorded approvals, cross-checked against their trail events. */
  readonly notices?: { listNotices(incidentId: string): Promise<readonly RecordedApproval[]> };
  /** The anchors and their key; without them the answer says the trail is checked against itself only. */
  readonly anchors?: { readonly log: TrailAnchorLog; readonly verifier: TrailSignatureVerifier };
}

export interface FullTrailVerification extends Omit<TrailVerification, 'problems'> {
  readonly problems: readonly (TrailVerification['problems'][number] | AnchorProblem)[];
  readonly anchoring: (AnchorCheck & { readonly configured: true }) | { readonly configured: false };
}

/** How many anchors verification reads (newest first): an incident is anchored after each decision, approval, submission and closing and hourly only when its head moved. */
export const ANCHORS_READ = 200;

/**
 * Verifies an incident's trail three ways: the chain recomputed (edits by someone without table access to the
 * chain function), against the signed anchors kept outside the table (edits re-chained by someone with table
 * access), and each notice's recorded approval against its approval event.
 */
export async function verifyIncidentTrail(deps: VerifyTrailDeps, incidentId: string): Promise<FullTrailVerification> {
  const detail: IncidentDetail | undefined = await deps.store.getIncidentDetail(incidentId);
  if (!detail) throw new IncidentNotFoundError(incidentId);
  const chain = verifyTrail(incidentId, detail.timeline, detail.incident.trail);
  const events = detail.timeline.filter((e): e is ChainedEvent => typeof (e as Partial<ChainedEvent>).seq === 'number');
  const approvals = deps.notices ? checkApprovals(await deps.notices.listNotices(incidentId), events) : [];
  if (!deps.anchors) return { ...chain, ok: chain.ok && approvals.length === 0, problems: [...chain.problems, ...approvals], anchoring: { configured: false } };
  const { log, verifier } = deps.anchors;
  const anchors = await log.list(incidentId, ANCHORS_READ);
  const checked = await Promise.all(anchors.map(async (anchor) => ({ anchor, signatureValid: await verifier.verify(anchorStatement(anchor), anchor.signature, anchor.keyId).catch(() => false) })));
  const check = checkAnchors(events, checked);
  const problems = [...chain.problems, ...check.problems, ...approvals];
  return { ...chain, ok: problems.length === 0, problems, anchoring: { configured: true, ...check } };
}
