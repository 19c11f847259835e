import { SNSClient } from '@aws-sdk/client-sns';
import { ChannelRouter } from '../adapters/delivery/channel-router.js';
import { SlackWebhookSender } from '../adapters/delivery/slack-webhook-sender.js';
import { SnsSender } from '../adapters/delivery/sns-sender.js';
import type { MessageSender } from '../ports/message-sender.js';
import type { Config } from '../shared/config.js';
import { secretListFromSecretsManager } from '../shared/secrets.js';

/** The AWS senders: Slack incoming webhook (URL from Secrets Manager) and SNS topics. */
export function buildAwsSender(config: Config): MessageSender {
  const webhook = config.slackWebhookSecretArn
    ? (() => {
        const read = secretListFromSecretsManager(config.slackWebhookSecretArn!);
        return async () => (await read())[0];
      })()
    : async () => config.slackWebhookUrl;
  return new ChannelRouter({ slack: new SlackWebhookSender(webhook), sns: new SnsSender(new SNSClient({}), config.snsTopicArns) });
}
