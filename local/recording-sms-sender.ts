import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { SmsSender } from '../lambdas/ports/notice-delivery.js';

export interface RecordedSms {
  readonly messageId: string;
  /** Masked: the full number lives only in the encrypted list. */
  readonly phone: string;
  readonly text: string;
  readonly at: string;
}

/** Local SMS: recorded like the local SNS deliveries (GET /local/sms, and .data/sms.jsonl), never sent. */
export class RecordingSmsSender implements SmsSender {
  readonly sent: RecordedSms[] = [];

  constructor(
    private readonly file: string | undefined,
    private readonly clock: { now(): Date },
  ) {}

  async send(sms: { phone: string; text: string }): Promise<{ messageId: string }> {
    const record: RecordedSms = { messageId: `local-sms-${randomUUID()}`, phone: `${sms.phone.slice(0, 4)}***${sms.phone.slice(-2)}`, text: sms.text, at: this.clock.now().toISOString() };
    this.sent.push(record);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    return { messageId: record.messageId };
  }
}
