import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DuePage, DuePageQueue } from '../lambdas/ports/timer-store.js';

export interface InProcessDuePageQueueOptions {
  /** Pages settled at once (the sweep queue's event source maximum concurrency on AWS). */
  readonly concurrency?: number;
  /** Receives before a page is given up on (the sweep queue's maxReceiveCount on AWS); its items stay due for the next tick. */
  readonly maxReceiveCount?: number;
  readonly log?: (line: string) => void;
}

type Worker = (event: SQSEvent) => Promise<SQSBatchResponse>;

/**
 * The clock's sweep queue on the local stack (ADR 0016): a burst's pages go to the same clock handler as on
 * AWS, one SQS-shaped event per page (batch size 1), `concurrency` at a time, a page reported failed is
 * received again, up to `maxReceiveCount` times. Unlike SQS, `enqueue` resolves once every page is settled,
 * so the local tick (and `POST /local/clock/advance`) answers with the burst fired. Not durable, and need not
 * be: a page lost with the process leaves its items in the due index, and the next tick hands them out again.
 */
export class InProcessDuePageQueue implements DuePageQueue {
  private worker?: Worker;
  private sequence = 0;

  constructor(private readonly options: InProcessDuePageQueueOptions = {}) {}

  consume(worker: Worker): void {
    this.worker = worker;
  }

  async enqueue(pages: readonly DuePage[]): Promise<void> {
    const worker = this.worker;
    if (!worker) throw new Error('the sweep queue has no consumer');
    const waiting = pages.map((page) => ({ page, receives: 0 }));
    const run = async (): Promise<void> => {
      for (let next = waiting.shift(); next; next = waiting.shift()) {
        next.receives++;
        const messageId = `local-page-${++this.sequence}`;
        const body = JSON.stringify(next.page);
        const event = { Records: [{ messageId, body, eventSource: 'aws:sqs', attributes: { ApproximateReceiveCount: String(next.receives) } }] } as unknown as SQSEvent;
        const failed = await worker(event).then(
          (answer) => answer.batchItemFailures.length > 0,
          (error: unknown) => {
            this.options.log?.(`sweep page failed: ${(error as Error).message}`);
            return true;
          },
        );
        if (!failed) continue;
        if (next.receives < (this.options.maxReceiveCount ?? 3)) waiting.push(next);
        else this.options.log?.(`ALARM SweepFailuresAlarm: a page of ${next.page.items.length} due items failed ${next.receives} times; its items stay due for the next tick`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency ?? 4, pages.length)) }, run));
  }
}
