import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../../lambdas/adapters/dynamo/client.js';
import type { SendChunk } from '../../lambdas/ports/notice-delivery.js';
import { localDynamoClient } from '../../local/dynamo-local.js';
import { DurableSendQueue, ensureSendQueueTable, type DeadLetter } from '../../local/durable-send-queue.js';
import { testEndpoint } from '../support/dynamo.js';
import { FakeClock } from '../support/fakes.js';
import { waitFor } from '../support/wait.js';

const chunk = (index: number): SendChunk => ({ incidentId: 'INC1', noticeId: 'NOT1', index, recipients: [{ line: index + 2, email: `p${index}@example.com` } as never] });

/** The local send queue on real DynamoDB Local: SQS's visibility timeout, redelivery, durability and dead-letter queue. */
describe('DurableSendQueue (the local SQS send queue, kept in DynamoDB Local)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'breachclock-send-queue-'));
  const doc = createDocumentClient({ endpoint: testEndpoint(), region: 'local' });
  const queues: DurableSendQueue[] = [];
  let tableName: string;

  const queue = (clock: FakeClock, extra: Partial<ConstructorParameters<typeof DurableSendQueue>[0]> = {}) => {
    const made = new DurableSendQueue({ doc, tableName, keyFile: join(dir, 'key'), clock, visibilityTimeoutMs: 60_000, maxReceiveCount: 3, pollMs: 20, ...extra });
    queues.push(made);
    return made;
  };

  beforeEach(async () => {
    tableName = `send-queue-${randomUUID().slice(0, 8)}`;
    const admin = localDynamoClient(testEndpoint());
    await ensureSendQueueTable(admin, tableName);
    admin.destroy();
  });

  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
  });

  afterAll(() => {
    doc.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a message until its consumer succeeds, and a new instance (a restart) receives what the old one left', async () => {
    const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
    const first = queue(clock);
    await first.enqueue([chunk(0), chunk(1)]);
    await first.stop(); // never consumed: the process went away

    const seen: number[] = [];
    const second = queue(clock);
    second.consume(async (c) => {
      seen.push(c.index);
    });
    await waitFor(async () => ((await second.depth()).queued === 0 ? true : undefined), 'both messages consumed and deleted');
    expect(seen.sort()).toEqual([0, 1]);
  });

  it('redelivers a failed message only after its visibility timeout, then dead-letters it after maxReceiveCount receives with the alarm', async () => {
    const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
    const dead: DeadLetter[] = [];
    let receives = 0;
    const q = queue(clock, { onDeadLetter: (letter) => dead.push(letter) });
    q.consume(async () => {
      receives++;
      throw new Error('SES unreachable');
    });
    await q.enqueue([chunk(7)]);
    await waitFor(() => (receives === 1 ? true : undefined), 'the first receive');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receives).toBe(1); // invisible while the visibility timeout runs
    for (const expected of [2, 3]) {
      clock.advanceMinutes(2);
      await waitFor(() => (receives === expected ? true : undefined), `receive ${expected}`);
    }
    clock.advanceMinutes(2);
    await waitFor(() => (dead.length ? true : undefined), 'the dead letter');
    expect(receives).toBe(3);
    expect(dead).toEqual([expect.objectContaining({ noticeId: 'NOT1', index: 7, receiveCount: 3, lastError: 'SES unreachable' })]);
    expect(await q.depth()).toMatchObject({ queued: 0, dead: 1 });
    expect(JSON.stringify(await q.deadLetters())).not.toContain('@example.com');
  });
});
