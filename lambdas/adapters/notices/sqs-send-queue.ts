import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SendChunk, SendQueue } from '../../ports/notice-delivery.js';

/** Chunks to the SQS send queue, ten per call; a message SQS did not take is retried, then the call fails. */
export class SqsSendQueue implements SendQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(chunks: readonly SendChunk[]): Promise<void> {
    for (let i = 0; i < chunks.length; i += 10) {
      let batch = chunks.slice(i, i + 10).map((chunk) => ({ Id: `c${chunk.index}`, MessageBody: JSON.stringify(chunk) }));
      for (let attempt = 0; batch.length; attempt++) {
        const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch }));
        const failed = new Set((result.Failed ?? []).map((f) => f.Id));
        if (!failed.size) break;
        if (attempt >= 4) throw new Error(`SQS did not accept ${failed.size} send chunks: ${(result.Failed ?? []).map((f) => f.Code).join(', ')}`);
        batch = batch.filter((entry) => failed.has(entry.Id));
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }
}
