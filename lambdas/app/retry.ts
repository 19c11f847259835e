import { ConcurrentUpdateError } from '../ports/incident-store.js';
import { backoffMs, sleep } from '../shared/backoff.js';

/**
 * Runs a read-decide-write again when someone else changed the aggregate meanwhile (at most 5 attempts):
 * the second of two clicks decides on the first's result instead of overwriting it.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, maxAttempts = 5): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt + 1 < maxAttempts) {
        await sleep(backoffMs(attempt + 1));
        continue;
      }
      throw error;
    }
  }
}
