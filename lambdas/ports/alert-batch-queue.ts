import type { NormalisedAlert } from '../domain/alert.js';

/** A part of a large alert group, persisted before the sender is answered and placed afterwards. */
export interface AlertBatchChunk {
  readonly batchId: string;
  readonly chunk: number;
  readonly alerts: readonly NormalisedAlert[];
}

/**
 * Durable hand-off of a large group (issue 12): written in the request, placed by a consumer of the table's
 * stream (on AWS: an event source mapping with retries and a dead-letter queue).
 */
export interface AlertBatchQueue {
  /** Persists the chunks durably (all or nothing). */
  enqueue(chunks: readonly AlertBatchChunk[]): Promise<void>;
  get(batchId: string, chunk: number): Promise<AlertBatchChunk | undefined>;
  /** Removes a chunk once every alert in it is placed. */
  done(batchId: string, chunk: number): Promise<void>;
}
