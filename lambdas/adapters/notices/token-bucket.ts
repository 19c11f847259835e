import type { RateLimiter } from '../../ports/notice-delivery.js';

/**
 * Paces sends to `ratePerSecond` (the account's SES maximum send rate, divided by the number of concurrent
 * senders on AWS). A bucket of one second's worth lets short bursts through without exceeding the rate.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError('the send rate must be positive');
    this.tokens = Math.max(1, ratePerSecond);
    this.last = now();
  }

  take(): Promise<void> {
    // One taker at a time, in order.
    const turn = this.queue.then(() => this.wait());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(Math.max(1, this.ratePerSecond), this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}
