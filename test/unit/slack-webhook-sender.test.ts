import { SlackWebhookSender } from '../../lambdas/adapters/delivery/slack-webhook-sender.js';
import { PermanentDeliveryError } from '../../lambdas/ports/message-sender.js';
import type { OutboxMessage } from '../../lambdas/domain/messages.js';

const message: OutboxMessage = { messageId: 'm', incidentId: 'INC-1', channel: 'slack', subject: 's', text: 'INC-1 opened', createdAt: '2026-01-01T00:00:00Z' };

describe('Slack incoming webhook (no Slack app)', () => {
  it('posts the text and says that updates arrive as new messages', async () => {
    const posted: string[] = [];
    const sender = new SlackWebhookSender(async () => 'https://hooks.slack.com/services/T/B/X', (async (_url: string, init: RequestInit) => {
      posted.push(String(init.body));
      return new Response('ok', { status: 200 });
    }) as typeof fetch);
    await sender.send(message);
    expect(JSON.parse(posted[0]!).text).toMatch(/^INC-1 opened\n_Posted through an incoming webhook: each change arrives as a new message and there are no buttons/);
  });

  it('does not retry a webhook Slack says is gone, retries one that is rate limited', async () => {
    const gone = new SlackWebhookSender(async () => 'https://hooks.slack.com/x', (async () => new Response('no_service', { status: 404 })) as typeof fetch);
    await expect(gone.send(message)).rejects.toBeInstanceOf(PermanentDeliveryError);
    const busy = new SlackWebhookSender(async () => 'https://hooks.slack.com/x', (async () => new Response('rate_limited', { status: 429, headers: { 'retry-after': '20' } })) as typeof fetch);
    await expect(busy.send(message)).rejects.not.toBeInstanceOf(PermanentDeliveryError);
    await expect(busy.send(message)).rejects.toMatchObject({ name: 'RetryLaterError', retryAfterMs: 20_000 });
    await expect(new SlackWebhookSender(async () => undefined).send(message)).rejects.toThrow('No Slack webhook is configured');
  });
});
