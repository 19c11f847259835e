/** Jittered exponential backoff for retries (full jitter, capped). */
export function backoffMs(attempt: number, baseMs = 10, capMs = 400): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
