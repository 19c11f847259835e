import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DuePage, DuePageQueue } from '../../ports/timer-store.js';

/** Pages of a due burst to the SQS sweep queue, ten per call; an entry SQS did not take is retried, then the call fails. */
export class SqsDuePageQueue implements DuePageQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(pages: readonly DuePage[]): Promise<void> {
    // Ten calls at a time: 10,000 due items (200 pages) leave the tick in a few round trips.
    const batches: { Id: string; MessageBody: string }[][] = [];
    for (let i = 0; i < pages.length; i += 10) batches.push(pages.slice(i, i + 10).map((page, j) => ({ Id: `p${i + j}`, MessageBody: JSON.stringify(page) })));
    for (let i = 0; i < batches.length; i += 10) await Promise.all(batches.slice(i, i + 10).map((batch) => this.sendBatch(batch)));
  }

  private async sendBatch(entries: { Id: string; MessageBody: string }[]): Promise<void> {
    for (let attempt = 0; entries.length; attempt++) {
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = new Set((result.Failed ?? []).map((f) => f.Id));
      if (!failed.size) return;
      if (attempt >= 4) throw new Error(`SQS did not accept ${failed.size} due pages: ${(result.Failed ?? []).map((f) => f.Code).join(', ')}`);
      entries = entries.filter((entry) => failed.has(entry.Id));
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
