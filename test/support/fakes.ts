import type { Clock } from '../../lambdas/ports/clock.js';
import type { IdGenerator } from '../../lambdas/ports/ids.js';
import type { OutboxMessage } from '../../lambdas/domain/messages.js';
import type { MessageSender } from '../../lambdas/ports/message-sender.js';

export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advanceMinutes(minutes: number): Date {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
    return this.now();
  }
  advanceHours(hours: number): Date {
    return this.advanceMinutes(hours * 60);
  }
}

export function sequentialIds(prefix = 'INC-T'): IdGenerator {
  let incident = 0;
  let alert = 0;
  return { incidentId: () => `${prefix}-${++incident}`, alertId: () => `ALR-${++alert}` };
}

export class RecordingSender implements MessageSender {
  readonly sent: OutboxMessage[] = [];
  failNext = 0;
  async send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated outage');
    }
    this.sent.push(message);
    return { providerMessageId: `fake-${this.sent.length}` };
  }
}
