import { readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../lambdas/ports/clock.js';

/**
 * The local stack's controllable clock: real time plus an offset that only moves forward, kept in
 * .data/ so a restart does not travel back in time. Local mode only; the Lambda handlers use the system clock.
 */
/** One advance moves at most this far (a year and a bit): enough for any legal clock, not a typo's 100000000d. */
export const MAX_ADVANCE_MS = 400 * 86_400_000;
/** Virtual time stays before the end of the holiday tables the regimes count working days with. */
export const VIRTUAL_TIME_LIMIT = Date.UTC(2060, 11, 31);

export class VirtualClock implements Clock {
  private offsetMs: number;
  /** Why a saved offset was not used (it was damaged or out of range): said by `npm start`. */
  readonly recovered?: string;

  constructor(private readonly file?: string) {
    this.offsetMs = 0;
    if (file) {
      let saved: { offsetMs?: unknown } | undefined;
      try {
        saved = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      } catch {
        // first start (or an unreadable file: started again from real time below)
      }
      const offset = saved?.offsetMs;
      if (typeof offset === 'number' && Number.isFinite(offset) && offset >= 0 && Date.now() + offset < VIRTUAL_TIME_LIMIT) this.offsetMs = offset;
      else if (saved !== undefined) {
        this.recovered = `the saved virtual time offset ${JSON.stringify(offset)} was not usable; virtual time starts again from real time`;
        writeFileSync(file, JSON.stringify({ offsetMs: 0 }));
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
    if (ms > MAX_ADVANCE_MS) throw new RangeError(`one advance moves at most 400d (asked ${Math.round(ms / 86_400_000)}d)`);
    if (Date.now() + this.offsetMs + ms >= VIRTUAL_TIME_LIMIT) throw new RangeError('virtual time stays before 2061 (the end of the holiday tables the legal clocks count with)');
    this.offsetMs += ms;
    if (this.file) writeFileSync(this.file, JSON.stringify({ offsetMs: this.offsetMs }));
    return this.now();
  }
}
