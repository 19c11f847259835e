import { appendFileSync, readFileSync } from 'node:fs';
import { SlackWebhookSender } from '../lambdas/adapters/delivery/slack-webhook-sender.js';
import type { OutboxMessage } from '../lambdas/domain/messages.js';
import type { MessageSender } from '../lambdas/ports/message-sender.js';

export interface RecordedDelivery extends OutboxMessage {
  readonly deliveredAt: string;
  /** Also posted to a real Slack webhook (SLACK_WEBHOOK_URL). */
  readonly postedToSlack: boolean;
  /**
   * Recorded when the dispatcher's lookup found the post in the local workspace: the attempt that posted it was
   * cut off (kill -9) before this file had its line. Still one post.
   */
  readonly foundAfterCrash?: boolean;
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
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // first start
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          this.deliveries.push(JSON.parse(line) as RecordedDelivery);
        } catch {
          // A line cut short (a write a kill interrupted): the lines after it still count.
        }
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
    return { providerMessageId: `local-${this.record({ ...message, deliveredAt: this.clock.now().toISOString(), postedToSlack })}` };
  }

  /**
   * Slack: asks the local workspace, as the Slack app asks Slack's history; a post found there that this file
   * lacks (the kill came between the post and its line) gets its line now. SNS has no lookup on AWS, so none
   * here either: the dispatcher parks an SNS page cut off by a crash as unconfirmed (its line says whether it was
   * published; nobody is paged twice).
   */
  async confirm(message: OutboxMessage): ReturnType<NonNullable<MessageSender['confirm']>> {
    if (message.channel !== 'slack' || !this.slackApp?.confirm) return { outcome: 'unknown' };
    const confirmed = await this.slackApp.confirm(message);
    if (confirmed.outcome === 'delivered' && !this.deliveries.some((d) => d.messageId === message.messageId && d.incidentId === message.incidentId)) {
      this.record({ ...message, deliveredAt: this.clock.now().toISOString(), postedToSlack: false, foundAfterCrash: true });
    }
    return confirmed;
  }

  /**
   * One line per delivery, appended (a write(2) to the file) before the send counts as done: a kill -9 after it
   * cannot take it back (the page cache outlives the process; only a power cut could, which the local stack does
   * not claim to survive). Returns the delivery's number.
   */
  private record(delivery: RecordedDelivery): number {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(delivery)}\n`);
    return this.deliveries.push(delivery);
  }

  list(): readonly RecordedDelivery[] {
    return this.deliveries;
  }
}
