import type { SendChunk, SendQueue } from '../lambdas/ports/notice-delivery.js';

export interface LocalSendQueueOptions {
  /** Chunks processed at once (SQS event source maximum concurrency on AWS). */
  readonly concurrency?: number;
  /** Attempts before a chunk is dead-lettered (SQS maxReceiveCount on AWS). */
  readonly maxAttempts?: number;
  /** Delay before a failed chunk is tried again (SQS visibility timeout on AWS). */
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * An in-memory send queue for integration tests: chunks are handed to the same consumer the SQS handler
 * calls, a bounded number at a time, retried after a delay, dead-lettered after `maxAttempts` (kept in
 * `dead`). It does not survive a restart; the local stack uses `DurableSendQueue` (durable-send-queue.ts).
 */
export class LocalSendQueue implements SendQueue {
  private readonly waiting: { chunk: SendChunk; attempts: number }[] = [];
  private running = 0;
  /** Failed chunks waiting for their retry delay. */
  private delayed = 0;
  private idleResolvers: (() => void)[] = [];
  readonly dead: { chunk: SendChunk; error: string }[] = [];
  private consumer?: (chunk: SendChunk) => Promise<unknown>;

  constructor(private readonly options: LocalSendQueueOptions = {}) {}

  consume(consumer: (chunk: SendChunk) => Promise<unknown>): void {
    this.consumer = consumer;
    this.pump();
  }

  async enqueue(chunks: readonly SendChunk[]): Promise<void> {
    // Same size limit as SQS (256 KiB per message): a chunk that would not fit there must not pass here.
    for (const chunk of chunks) {
      if (Buffer.byteLength(JSON.stringify(chunk)) > 262_144) throw new Error(`send chunk ${chunk.index} exceeds the 256 KiB message limit`);
      this.waiting.push({ chunk, attempts: 0 });
    }
    this.pump();
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    if (!this.depth) return Promise.resolve();
    return new Promise((resolve) => this.idleResolvers.push(resolve));
  }

  get depth(): number {
    return this.waiting.length + this.running + this.delayed;
  }

  private pump(): void {
    const consumer = this.consumer;
    if (!consumer) return;
    while (this.running < (this.options.concurrency ?? 4) && this.waiting.length) {
      const item = this.waiting.shift()!;
      this.running++;
      consumer(item.chunk)
        .catch((error: unknown) => {
          item.attempts++;
          if (item.attempts >= (this.options.maxAttempts ?? 8)) {
            this.dead.push({ chunk: item.chunk, error: (error as Error).message });
            this.options.log?.(`send chunk ${item.chunk.noticeId}#${item.chunk.index} dead-lettered: ${(error as Error).message}`);
            return;
          }
          this.delayed++;
          setTimeout(() => {
            this.delayed--;
            this.waiting.push(item);
            this.pump();
          }, (this.options.retryDelayMs ?? 2000) * item.attempts).unref();
        })
        .finally(() => {
          this.running--;
          this.pump();
          if (!this.depth) for (const resolve of this.idleResolvers.splice(0)) resolve();
        });
    }
  }
}
