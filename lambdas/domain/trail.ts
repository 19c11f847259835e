import { createHash } from 'node:crypto';
import type { TimelineEvent } from './incident.js';

/** The head of an incident's audit trail: how many events it holds and the hash of the last one. */
export interface TrailHead {
  readonly seq: number;
  readonly hash: string;
}

/** A timeline event as stored: its place in the chain, the previous event's hash and its own. */
export interface ChainedEvent extends TimelineEvent {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS = '0'.repeat(64);

/** A canonical encoding: keys sorted at every level, no whitespace, undefined left out (as DynamoDB stores it). */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function hashOf(incidentId: string, seq: number, prevHash: string, event: TimelineEvent): string {
  const { type, at, actor, summary, data } = event;
  return createHash('sha256').update(canonical({ incidentId, seq, prevHash, event: { type, at, actor, summary, data } })).digest('hex');
}

/** Appends an event to the chain: its hash covers the incident id, its place, the previous hash and its content. */
export function chainEvent(head: TrailHead | undefined, incidentId: string, event: TimelineEvent): { event: ChainedEvent; head: TrailHead } {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS;
  const hash = hashOf(incidentId, seq, prevHash, event);
  return { event: { ...event, seq, prevHash, hash }, head: { seq, hash } };
}

export type TrailProblem =
  | { readonly kind: 'edited'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'removed'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'inserted'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'reordered'; readonly seq: number; readonly detail: string }
  | { readonly kind: 'unchained'; readonly seq: number; readonly detail: string };

export interface TrailVerification {
  readonly ok: boolean;
  readonly events: number;
  readonly head: TrailHead | null;
  readonly problems: readonly TrailProblem[];
}

/**
 * Verifies an incident's trail: every event's hash recomputed over its content, every link to the previous
 * hash, sequence numbers without gaps or repeats, the stored time order matching the chain order, and the
 * last event matching the head kept on the incident. Says which event was edited, removed, inserted or
 * reordered.
 */
export function verifyTrail(incidentId: string, stored: readonly (TimelineEvent & Partial<ChainedEvent>)[], head: TrailHead | undefined): TrailVerification {
  const problems: TrailProblem[] = [];
  const chained = stored.filter((e): e is ChainedEvent => typeof e.seq === 'number' && typeof e.hash === 'string' && typeof e.prevHash === 'string');
  stored.forEach((event, index) => {
    if (!chained.includes(event as ChainedEvent)) problems.push({ kind: 'unchained', seq: 0, detail: `event ${index + 1} in time order (${event.type} at ${event.at}) carries no chain fields` });
  });
  // Time order is the stored order; it must agree with the chain order.
  for (let i = 1; i < chained.length; i++) {
    if (chained[i]!.seq < chained[i - 1]!.seq) problems.push({ kind: 'reordered', seq: chained[i]!.seq, detail: `event ${chained[i]!.seq} (${chained[i]!.type}) is stored after event ${chained[i - 1]!.seq}` });
  }
  const bySeq = [...chained].sort((a, b) => a.seq - b.seq);
  let expectedSeq = 1;
  let previous: ChainedEvent | undefined;
  for (const event of bySeq) {
    if (previous && event.seq === previous.seq) {
      problems.push({ kind: 'inserted', seq: event.seq, detail: `two events claim place ${event.seq} (${previous.type}, ${event.type})` });
      continue;
    }
    if (event.seq > expectedSeq) problems.push({ kind: 'removed', seq: expectedSeq, detail: `events ${expectedSeq}${event.seq - 1 > expectedSeq ? `-${event.seq - 1}` : ''} are missing` });
    if (hashOf(incidentId, event.seq, event.prevHash, event) !== event.hash) {
      problems.push({ kind: 'edited', seq: event.seq, detail: `event ${event.seq} (${event.type} at ${event.at}) does not match its hash: its content was changed` });
    }
    const expectedPrev = previous && previous.seq === event.seq - 1 ? previous.hash : event.seq === 1 ? GENESIS : undefined;
    if (expectedPrev !== undefined && event.prevHash !== expectedPrev) {
      problems.push({ kind: 'inserted', seq: event.seq, detail: `event ${event.seq} (${event.type}) does not link to event ${event.seq - 1}: inserted or replaced` });
    }
    expectedSeq = event.seq + 1;
    previous = event;
  }
  const last = bySeq.at(-1);
  if (head) {
    if (!last || last.seq < head.seq) problems.push({ kind: 'removed', seq: (last?.seq ?? 0) + 1, detail: `the trail ends at event ${last?.seq ?? 0} but the incident records ${head.seq}: the last events were removed` });
    else if (last.seq === head.seq && last.hash !== head.hash) problems.push({ kind: 'edited', seq: last.seq, detail: `the last event's hash differs from the one the incident records` });
    else if (last.seq > head.seq) problems.push({ kind: 'inserted', seq: last.seq, detail: `events after ${head.seq} were added outside breachclock` });
  }
  return { ok: problems.length === 0, events: stored.length, head: head ?? null, problems };
}
