import { readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../lambdas/ports/clock.js';

/**
 * The local stack's controllable clock: real time plus an offset that only moves forward, kept in
 * .data/ so a restart does not travel back in time. Local mode only; the Lambda handlers use the system clock.
 */
export class VirtualClock implements Clock {
  private offsetMs: number;

  constructor(private readonly file?: string) {
    this.offsetMs = 0;
    if (file) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
        if (typeof saved.offsetMs === 'number' && Number.isFinite(saved.offsetMs) && saved.offsetMs >= 0) this.offsetMs = saved.offsetMs;
      } catch {
        // first start
      }
    }
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('virtual time only moves forward by a positive duration');
    this.offsetMs += ms;
    if (this.file) writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    return this.now();
  }
}
