import { appendFileSync, readFileSync } from 'node:fs';
import { SlackWebhookSender } from '../lambdas/adapters/delivery/slack-webhook-sender.js';
import type { OutboxMessage } from '../lambdas/domain/messages.js';
import type { MessageSender } from '../lambdas/ports/message-sender.js';

export interface RecordedDelivery extends OutboxMessage {
  readonly deliveredAt: string;
  /** Also posted to a real Slack webhook (SLACK_WEBHOOK_URL). */
  readonly postedToSlack: boolean;
}

/**
 * Local delivery: records every Slack post and SNS publish (kept in .data/deliveries.jsonl, shown at
 * GET /local/deliveries), keeps the live message in the local Slack workspace (GET /local/slack), and posts
 * Slack messages to a real incoming webhook when one is configured.
 */
export class RecordingSender implements MessageSender {
  private readonly deliveries: RecordedDelivery[] = [];
  private readonly slack?: SlackWebhookSender;

  constructor(
    private readonly file: string | undefined,
    private readonly clock: { now(): Date },
    slackWebhookUrl?: string,
    /** The local Slack app (live message in the recording workspace). */
    private readonly slackApp?: MessageSender,
  ) {
    if (slackWebhookUrl) this.slack = new SlackWebhookSender(async () => slackWebhookUrl);
    if (file) {
      try {
        for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) this.deliveries.push(JSON.parse(line) as RecordedDelivery);
      } catch {
        // first start
      }
    }
  }

  async send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    let postedToSlack = false;
    if (message.channel === 'slack' && this.slackApp) await this.slackApp.send(message);
    if (message.channel === 'slack' && this.slack) {
      await this.slack.send(message);
      postedToSlack = true;
    }
    const delivery: RecordedDelivery = { ...message, deliveredAt: this.clock.now().toISOString(), postedToSlack };
    this.deliveries.push(delivery);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(delivery)}\n`);
    return { providerMessageId: `local-${this.deliveries.length}` };
  }

  /**
   * Slack: asks the local workspace, as the Slack app asks Slack's history. SNS has no lookup on AWS, so none
   * here either: an SNS page cut off by a crash is published again (at least once).
   */
  async confirm(message: OutboxMessage): ReturnType<NonNullable<MessageSender['confirm']>> {
    if (message.channel === 'slack' && this.slackApp?.confirm) return this.slackApp.confirm(message);
    return { outcome: 'unknown' };
  }

  list(): readonly RecordedDelivery[] {
    return this.deliveries;
  }
}
