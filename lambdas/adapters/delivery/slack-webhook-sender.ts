import type { OutboxMessage } from '../../domain/messages.js';
import { PermanentDeliveryError, RetryLaterError, type MessageSender } from '../../ports/message-sender.js';

/** Said in every webhook message: there is no live message without the Slack app. */
export const WEBHOOK_NOTE =
  '_Posted through an incoming webhook: each change arrives as a new message and there are no buttons. Install the breachclock Slack app for one live message per incident (docs/slack.md)._';

/**
 * Posts to a Slack incoming webhook. Slack answers 200 "ok"; 400/403/404/410 mean the webhook or channel is
 * gone or invalid (not retried); 429 and 5xx are retried by the dispatcher with backoff.
 */
export class SlackWebhookSender implements MessageSender {
  constructor(
    private readonly webhookUrl: () => Promise<string | undefined>,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 5_000,
    private readonly note: string | undefined = WEBHOOK_NOTE,
  ) {}

  async send(message: OutboxMessage): Promise<{ providerMessageId?: string }> {
    const url = await this.webhookUrl();
    if (!url) throw new PermanentDeliveryError('No Slack webhook is configured');
    const response = await this.fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: this.note ? `${message.text}\n${this.note}` : message.text, unfurl_links: false }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = (await response.text()).slice(0, 200);
    if (response.ok) return {};
    if ([400, 403, 404, 410].includes(response.status)) {
      throw new PermanentDeliveryError(`Slack refused the message: HTTP ${response.status} ${body}`);
    }
    if (response.status === 429) throw RetryLaterError.fromRetryAfter(response.headers.get('retry-after'), () => `Slack webhook rate limited: HTTP 429 ${body}`);
    throw new Error(`Slack webhook answered HTTP ${response.status} ${body}`);
  }
}
