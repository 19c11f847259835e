import fc from 'fast-check';
import type { TimelineEvent } from '../../lambdas/domain/incident.js';
import { canonical, chainEvent, verifyTrail, type ChainedEvent, type TrailHead } from '../../lambdas/domain/trail.js';

const event = (n: number): TimelineEvent => ({ type: `t.${n}`, at: `2026-11-20T10:00:0${n % 10}.000Z`, actor: 'dana', summary: `event ${n}`, data: { n, nested: { b: 1, a: [n] } } });

function chain(count: number): { events: ChainedEvent[]; head: TrailHead } {
  let head: TrailHead | undefined;
  const events: ChainedEvent[] = [];
  for (let i = 1; i <= count; i++) {
    const link = chainEvent(head, 'INC-1', event(i));
    events.push(link.event);
    head = link.head;
  }
  return { events, head: head! };
}

describe('hash-chained audit trail', () => {
  it('encodes canonically: key order and undefined fields do not change the hash', () => {
    expect(canonical({ b: 1, a: { d: undefined, c: [1, 'x'] } })).toBe('{"a":{"c":[1,"x"]},"b":1}');
    const a = chainEvent(undefined, 'INC-1', { type: 't', at: 'x', actor: 'a', summary: 's', data: { x: 1, y: 2 } });
    const b = chainEvent(undefined, 'INC-1', { summary: 's', actor: 'a', at: 'x', type: 't', data: { y: 2, x: 1 } });
    expect(a.event.hash).toBe(b.event.hash);
  });

  it('verifies an intact trail and names each kind of tampering', () => {
    const { events, head } = chain(5);
    expect(verifyTrail('INC-1', events, head)).toMatchObject({ ok: true, events: 5, problems: [] });

    const edited = events.map((e) => (e.seq === 3 ? { ...e, summary: 'nothing happened' } : e));
    expect(verifyTrail('INC-1', edited, head).problems).toEqual([expect.objectContaining({ kind: 'edited', seq: 3 })]);

    const removed = events.filter((e) => e.seq !== 2);
    expect(verifyTrail('INC-1', removed, head).problems.map((p) => p.kind)).toContain('removed');

    const tail = events.slice(0, 4);
    expect(verifyTrail('INC-1', tail, head).problems).toEqual([expect.objectContaining({ kind: 'removed', seq: 5 })]);

    const forged = chainEvent({ seq: 2, hash: 'f'.repeat(64) }, 'INC-1', event(9)).event;
    const inserted = [...events.slice(0, 3), { ...forged, seq: 3 }, ...events.slice(3)];
    expect(verifyTrail('INC-1', inserted, head).problems.map((p) => p.kind)).toContain('inserted');

    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!, events[4]!];
    expect(verifyTrail('INC-1', swapped, head).problems).toEqual([expect.objectContaining({ kind: 'reordered', seq: 2 })]);

    // Another incident's trail does not verify here (the incident id is in every hash).
    expect(verifyTrail('INC-2', events, head).ok).toBe(false);
  });

  it('property: changing any one field of any one event is detected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 7 }), fc.constantFrom('type', 'at', 'actor', 'summary', 'data'), fc.string({ minLength: 1, maxLength: 8 }), (count, pick, field, value) => {
        const { events, head } = chain(count);
        const index = pick % count;
        const original = events[index]!;
        const changed = { ...original, [field]: field === 'data' ? { tampered: value } : `${String(original[field as keyof TimelineEvent])}${value}` };
        const tampered = events.map((e, i) => (i === index ? changed : e));
        expect(verifyTrail('INC-1', tampered, head).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
