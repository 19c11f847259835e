import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStackProcess } from '../support/local-stack-process.js';
import { waitFor } from '../support/wait.js';

const INCIDENTS = 40;
/** The default ladder's first step (15 minutes unacknowledged): a Slack post with <!here> and an SNS page to responders. */
const STEP = 'unacknowledged-15m';
const PAGES = INCIDENTS * 2;
/** The dispatcher's claim, real time: short, so a claim the kill cut off has run out by the time the stack is back. */
const LEASE_MS = 4_000;

interface Line {
  readonly messageId: string;
  readonly incidentId: string;
  readonly channel: string;
  readonly kind?: string;
  readonly foundAfterCrash?: boolean;
}
interface Message {
  readonly messageId: string;
  readonly channel: string;
  readonly kind?: string;
  readonly topic?: string;
  readonly status: string;
}
interface Post {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs?: string;
  readonly deleted: boolean;
  readonly metadata?: { readonly payload: Readonly<Record<string, string>> };
}

/**
 * Issue 27.1, the outbox: `npm start`'s process group (DynamoDB Local's JVM included) is frozen and killed with
 * SIGKILL in the middle of a burst of escalations (every incident's first ladder step at once: a Slack post and an
 * SNS page each), then started again on the same data directory. Every page reaches its destination exactly once
 * (the Slack workspace and deliveries.jsonl, both kept in the data directory) or is parked as `unconfirmed` for
 * review (an SNS page cut off between its publish and its record: SNS cannot say whether it went out); none twice,
 * none left pending, and the outbox's statuses agree with what the destinations received.
 */
describe('a kill -9 during a burst of escalations pages nobody twice and loses no page silently (local stack as a process group)', () => {
  const stack = new LocalStackProcess('outbox-crash-e2e', {
    CLOCK_INTERVAL_MS: '500',
    OUTBOX_LEASE_MS: String(LEASE_MS),
    // Forty incidents from one rule within a minute: no storm incident, each pages on its own.
    STORM_CAP: '0',
  });
  const api = (method: string, path: string, body?: unknown) => stack.api(method, path, body);

  /** deliveries.jsonl as the local SNS topic and Slack log: one line per publish or post (a line cut short is skipped). */
  const deliveries = (): Line[] => {
    let text = '';
    try {
      text = readFileSync(join(stack.dataDir, 'deliveries.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as Line] : [];
      } catch {
        return [];
      }
    });
  };
  const isPage = (d: { kind?: string; messageId: string }) => d.kind === 'escalation' && d.messageId.includes(`.escalation.${STEP}.`);

  afterAll(() => stack.stop(), 30_000);

  it('after a restart every page went out once or is parked as unconfirmed; none twice, none pending; the destinations agree', async () => {
    await stack.start();
    const observedAt = new Date(Date.now() - 60_000).toISOString();
    const incidentIds = await Promise.all(
      Array.from({ length: INCIDENTS }, async (_, i) => {
        const response = await fetch(`${stack.url}/alerts/generic`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.ingestToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `Admin login from a new country ${i}`, severity: 'high', fingerprint: `burst/${i}`, observedAt }),
        });
        expect(response.status).toBe(202);
        return ((await response.json()) as { incidentId: string }).incidentId;
      }),
    );
    expect(new Set(incidentIds).size).toBe(INCIDENTS);
    // Every live message is up before the burst (the burst's pages go in their threads).
    await waitFor(() => (new Set(deliveries().filter((d) => d.kind === 'state').map((d) => d.incidentId)).size === INCIDENTS ? true : undefined), 'the live messages', { timeoutMs: 60_000, intervalMs: 100 });

    // The burst: 15 minutes on, nobody acknowledged, every incident's first step fires at once (80 pages).
    const advanced = api('POST', '/local/clock/advance', { by: '16m' }).catch(() => undefined);
    const before = await waitFor(() => {
      const pages = deliveries().filter(isPage).length;
      return pages >= PAGES / 4 ? pages : undefined;
    }, 'the first pages of the burst', { timeoutMs: 60_000, intervalMs: 5 });
    await stack.killGroup();
    await advanced;
    const atKill = deliveries().filter(isPage).length;
    expect(before).toBeGreaterThan(0);

    // Same data directory. Virtual time moves past the outbox's re-drive (two minutes after a message is
    // written); the claims the kill cut off have run out (real time) by the time the stack is back.
    const restarted = await stack.start();
    expect((await api('POST', '/local/clock/advance', { by: '5m' })).status).toBe(200);
    let details: { incidentId: string; messages: Message[]; timeline: { type: string; data?: { messageId?: string } }[] }[] = [];
    await waitFor(async () => {
      details = await Promise.all(
        incidentIds.map(async (incidentId) => {
          const { body } = await api('GET', `/api/incidents/${incidentId}`);
          return { incidentId, messages: body.messages as Message[], timeline: body.timeline as { type: string; data?: { messageId?: string } }[] };
        }),
      );
      const all = details.flatMap((d) => d.messages);
      return all.filter(isPage).length === PAGES && all.every((m) => m.status === 'delivered' || m.status === 'unconfirmed') ? true : undefined;
    }, 'the outbox to drain after the restart', { timeoutMs: 60_000, intervalMs: 250 }).catch((error: Error) => {
      const stuck = details.flatMap((d) => d.messages.filter((m) => m.status !== 'delivered' && m.status !== 'unconfirmed').map((m) => `${m.messageId} ${m.status}`));
      throw new Error(`${error.message}: ${details.flatMap((d) => d.messages).filter(isPage).length} pages; not settled: ${stuck.join(', ')}\n${restarted.join('').slice(-3000)}`);
    });

    const messages = details.flatMap((d) => d.messages);
    const pages = messages.filter(isPage);
    const lines = deliveries();
    const slack = (await api('GET', '/local/slack')).body as { channel: string; messages: Post[] };
    const posts = (messageId: string) => slack.messages.filter((p) => !p.deleted && p.metadata?.payload.outbox_message === messageId).length;
    const published = (messageId: string) => lines.filter((d) => d.messageId === messageId).length;

    // Each incident's step fired once: one Slack page and one SNS page, none lost when the kill cut the sweep short.
    for (const { incidentId, messages: own } of details) {
      expect({ incidentId, pages: own.filter(isPage).map((m) => m.channel).sort() }).toEqual({ incidentId, pages: ['slack', 'sns'] });
    }
    // Nothing pending, sending or failed: everything went out or is parked.
    expect(messages.filter((m) => m.status !== 'delivered' && m.status !== 'unconfirmed')).toEqual([]);
    // None twice: no page has two lines in deliveries.jsonl, nor two posts in the Slack workspace.
    expect(pages.filter((m) => published(m.messageId) > 1 || posts(m.messageId) > 1).map((m) => m.messageId)).toEqual([]);
    // Delivered means received exactly once: SNS by its line, Slack by its post (and its line).
    expect(pages.filter((m) => m.status === 'delivered' && (published(m.messageId) !== 1 || (m.channel === 'slack' && posts(m.messageId) !== 1))).map((m) => m.messageId)).toEqual([]);
    // Parked: only pages whose channel cannot be asked (SNS; the local Slack workspace can be), each named on its incident's timeline.
    const parked = pages.filter((m) => m.status === 'unconfirmed');
    expect(parked.filter((m) => m.channel !== 'sns').map((m) => m.messageId)).toEqual([]);
    for (const m of parked) {
      const timeline = details.find((d) => m.messageId.startsWith(`${d.incidentId}.`))!.timeline;
      expect(timeline.filter((e) => e.type === 'delivery.unconfirmed' && e.data?.messageId === m.messageId)).toHaveLength(1);
    }
    // Counts agree: every line in deliveries.jsonl is a delivered page or a parked one that was published before the kill.
    const delivered = pages.filter((m) => m.status === 'delivered');
    expect(delivered.length + parked.length).toBe(PAGES);
    expect(lines.filter(isPage).length).toBe(delivered.length + parked.filter((m) => published(m.messageId) === 1).length);
    expect(slack.messages.filter((p) => !p.deleted && p.metadata?.payload.outbox_message && isPage({ kind: 'escalation', messageId: p.metadata.payload.outbox_message })).length).toBe(
      pages.filter((m) => m.channel === 'slack').length,
    );
    // One live message per incident: a repeated state change updated it, never posted a second one.
    expect(slack.messages.filter((p) => !p.deleted && !p.threadTs && p.channel === slack.channel)).toHaveLength(INCIDENTS);

    const found = lines.filter((d) => isPage(d) && d.foundAfterCrash).length;
    process.stdout.write(
      `outbox-crash e2e: ${before} pages out when the kill was asked for, ${atKill} at the kill; after the restart ${delivered.length} delivered (${found} Slack posts found by their metadata), ${parked.length} parked as unconfirmed (${parked.filter((m) => published(m.messageId) === 1).length} of them published before the kill)\n`,
    );
  }, 180_000);
});
