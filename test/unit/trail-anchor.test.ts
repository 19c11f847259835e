import { anchorMessageFor, checkAnchors, checkApprovals, needsAnchor, type TrailAnchor } from '../../lambdas/domain/trail-anchor.js';
import { chainEvent, type ChainedEvent, type TrailHead } from '../../lambdas/domain/trail.js';

const at = (minute: number) => `2026-12-05T10:${String(minute).padStart(2, '0')}:00.000Z`;

function chain(types: readonly string[], actor = 'dana'): ChainedEvent[] {
  let head: TrailHead | undefined;
  return types.map((type, i) => {
    const link = chainEvent(head, 'INC-1', { type, at: at(i), actor, summary: type, ...(type === 'notice.approved' ? { data: { noticeId: 'N1', contentHash: 'c'.repeat(64), recipientsHash: 'r'.repeat(64) } } : {}) });
    head = link.head;
    return link.event;
  });
}

const anchorOf = (event: ChainedEvent, minute: number): TrailAnchor => ({ incidentId: 'INC-1', seq: event.seq, hash: event.hash, anchoredAt: at(minute), reason: event.type, keyId: 'k', signature: 's' });

describe('trail anchors', () => {
  const events = chain(['incident.opened', 'incident.facts-recorded', 'notice.approved', 'incident.acknowledged', 'incident.closed']);

  it('anchors after approvals, decisions, submissions and closing only, once per chain position', () => {
    expect(events.map((e) => anchorMessageFor('INC-1', e)?.messageId)).toEqual([undefined, undefined, 'trail-anchor-0000003', undefined, 'trail-anchor-0000005']);
    expect(anchorMessageFor('INC-1', events[2]!)).toMatchObject({ channel: 'trail-anchor', text: 'notice.approved', createdAt: events[2]!.at });
  });

  it('needs an hourly anchor only when the head moved', () => {
    expect(needsAnchor(undefined, undefined)).toBe(false);
    expect(needsAnchor({ seq: 3, hash: events[2]!.hash }, undefined)).toBe(true);
    expect(needsAnchor({ seq: 3, hash: events[2]!.hash }, { seq: 3, hash: events[2]!.hash })).toBe(false);
    expect(needsAnchor({ seq: 4, hash: events[3]!.hash }, { seq: 3, hash: events[2]!.hash })).toBe(true);
  });

  it('agrees when every valid anchor holds; counts the events after the last one', () => {
    const check = checkAnchors(events, [{ anchor: anchorOf(events[2]!, 30), signatureValid: true }]);
    expect(check).toMatchObject({ anchors: 1, agreesThrough: 3, unanchoredEvents: 2, problems: [], newest: { seq: 3, agrees: true } });
  });

  it('names the last event known good and the first place known bad of a re-chained trail', () => {
    const rechained = chain(['incident.opened', 'incident.facts-recorded', 'notice.approved', 'incident.acknowledged', 'incident.closed'], 'mallory');
    const anchors = [anchorOf(events[0]!, 10), anchorOf(events[2]!, 30), anchorOf(events[4]!, 50)].map((anchor) => ({ anchor, signatureValid: true }));
    // Only events 2 onwards changed: keep event 1 as it was.
    const tampered = [events[0]!, ...rechained.slice(1)];
    const check = checkAnchors(tampered, anchors);
    expect(check.agreesThrough).toBe(1);
    expect(check.problems).toEqual([expect.objectContaining({ kind: 'anchor-mismatch', seq: 3 })]);
    expect(check.problems[0]!.detail).toMatch(/events 1–1 agree.*changed after event 1 and at or before event 3/);
    expect(check.newest).toMatchObject({ seq: 5, agrees: false });
  });

  it('reports an anchor with a bad signature and ignores it otherwise', () => {
    const forged = { ...anchorOf(events[4]!, 50), hash: '0'.repeat(64) };
    const check = checkAnchors(events, [{ anchor: forged, signatureValid: false }, { anchor: anchorOf(events[2]!, 30), signatureValid: true }]);
    expect(check.problems.map((p) => p.kind)).toEqual(['anchor-signature']);
    expect(check.agreesThrough).toBe(3);
  });

  it('cross-checks each approved notice against its approval event', () => {
    const approval = { by: 'dana', at: events[2]!.at, contentHash: 'c'.repeat(64), recipients: { sha256: 'r'.repeat(64) } };
    expect(checkApprovals([{ noticeId: 'N1', approval }], events)).toEqual([]);
    expect(checkApprovals([{ noticeId: 'N1', approval: { ...approval, by: 'mallory' } }], events)[0]!.detail).toMatch(/approver mallory on the notice, dana on the trail/);
    expect(checkApprovals([{ noticeId: 'N1', approval: { ...approval, recipients: { sha256: 'x'.repeat(64) } } }], events)[0]!.detail).toMatch(/recipient list hash differs/);
    expect(checkApprovals([{ noticeId: 'N2', approval }], events)[0]!.detail).toMatch(/the trail has no approval of it/);
    expect(checkApprovals([{ noticeId: 'N1' }], events)).toEqual([]);
  });
});
