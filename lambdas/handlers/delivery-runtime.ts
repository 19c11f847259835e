import { ChannelRouter } from '../adapters/delivery/channel-router.js';
import { LiveSlackSender, type LiveMessageStore } from '../adapters/delivery/live-slack-sender.js';
import { SlackWebApi } from '../adapters/delivery/slack-web-api.js';
import { SlackWebhookSender } from '../adapters/delivery/slack-webhook-sender.js';
import type { MessageContext, OutboxMessage } from '../domain/messages.js';
import type { Clock } from '../ports/clock.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { Config } from '../shared/config.js';
import { actOnIncident, type ActDeps } from '../app/act-on-incident.js';
import type { DispatchDeps } from '../app/dispatch-outbox.js';
import { trailAnchorSender, type AnchorDeps } from '../app/trail-anchoring.js';
import { onFirstUse } from './on-first-use.js';
import type { SlackSettings } from '../shared/secrets.js';
import { onceAsync } from '../domain/once.js';

/**
 * The AWS senders. Slack: a live message per incident through the Slack app when the Slack secret holds a
 * bot token and a channel; otherwise posts through the incoming webhook (no updates, no buttons). SNS topics.
 */
export function buildAwsSender(config: Config, live: { store: LiveMessageStore & AnchorDeps['reader']; clock: Clock; messageContext: MessageContext }): MessageSender {
  const settings: () => Promise<SlackSettings> = config.slackWebhookSecretArn
    ? slackSecret(config.slackWebhookSecretArn)
    : async () => ({
        ...(config.slackWebhookUrl ? { webhookUrl: config.slackWebhookUrl } : {}),
        ...(config.slackBotToken ? { botToken: config.slackBotToken } : {}),
        ...(config.slackChannel ? { channel: config.slackChannel } : {}),
        signingSecrets: config.slackSigningSecrets,
      });
  const webhook = new SlackWebhookSender(async () => (await settings()).webhookUrl);
  const web = new SlackWebApi(async () => (await settings()).botToken);
  const slack: MessageSender = {
    async send(message: OutboxMessage) {
      const { botToken, channel } = await settings();
      if (botToken && channel) return new LiveSlackSender({ web, channel, ...live }).send(message);
      return webhook.send(message);
    },
    // After a crash between a post and its record: the Slack app looks for the post by its metadata; an incoming
    // webhook cannot be asked (the dispatcher then parks the page as unconfirmed).
    async confirm(message: OutboxMessage) {
      const { botToken, channel } = await settings();
      if (botToken && channel) return new LiveSlackSender({ web, channel, ...live }).confirm(message);
      return { outcome: 'unknown' as const };
    },
  };
  const anchoring = config.trailAnchors;
  return new ChannelRouter({
    slack,
    // The SNS client on the first page to a topic (ADR 0018): a tick that finds nothing due, or a Slack message, needs none.
    sns: onFirstUse<MessageSender>(async () => {
      const [{ SNSClient }, { SnsSender }] = await Promise.all([import('@aws-sdk/client-sns'), import('../adapters/delivery/sns-sender.js')]);
      return new SnsSender(new SNSClient({}), config.snsTopicArns);
    }, ['send']),
    // The trail-anchor channel's KMS and S3 clients on its first message, a rare one: a chunk of their own, not
    // compiled at every cold start (ADR 0018, session 11).
    ...(anchoring ? { 'trail-anchor': onFirstUse<MessageSender>(async () => trailAnchorSender((await import('./trail-anchor-runtime.js')).awsAnchorDeps(anchoring, live.store)), ['send']) } : {}),
  });
}

/**
 * The Slack settings' secret, read through Secrets Manager (cached five minutes), with the Secrets Manager client
 * imported on the first Slack message (ADR 0018): the clock's ticks that find nothing due and the pages to SNS
 * topics need none. A failed import is tried again on the next message.
 */
function slackSecret(secretArn: string): () => Promise<SlackSettings> {
  const reader = onceAsync(async () => {
    const { cachedSecret, parseSlackSettings } = await import('../shared/secrets.js');
    return cachedSecret(secretArn, parseSlackSettings);
  });
  return async () => (await reader())();
}

/** Records on the timeline that a page of the incident's was parked as unconfirmed (cut off, its provider cannot say). */
export function noteUnconfirmedWith(deps: ActDeps): NonNullable<DispatchDeps['noteUnconfirmed']> {
  return async (incidentId, message) => {
    await actOnIncident(deps, incidentId, { type: 'record-unconfirmed-delivery', messageId: message.messageId, channel: message.channel, ...(message.topic ? { topic: message.topic } : {}), subject: message.subject }, 'breachclock');
  };
}

/** Records on the timeline that an incident's live Slack message was gone and was posted again. */
export function noteRepostWith(deps: ActDeps): NonNullable<DispatchDeps['noteRepost']> {
  return async (incidentId, reposted) => {
    await actOnIncident(deps, incidentId, { type: 'record-slack-repost', ...reposted }, 'breachclock');
  };
}
