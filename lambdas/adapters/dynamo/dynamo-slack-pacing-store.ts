import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SlackPacing } from '../../ports/outbox-store.js';
import { messageKey } from './items/outbox-message.js';
import type { StoreContext } from './store-context.js';
import { DUE_PARTITION, TABLE_KEYS as K } from './table-definition.js';
import { conditionFailed } from './transaction.js';

/** The incident id under which a channel's digests are kept (outbox items: claimed, delivered and re-driven as any other). */
export const digestOwner = (channel: string) => `SLACKDIGEST-${channel}`;

/**
 * Slack's ~1 post per second per channel on the table: a slot item per channel (`SLACKPACE#<channel>`,
 * taken with a conditional update) and, per channel and window, one digest outbox message
 * (`INC#SLACKDIGEST-<channel>` / `MSG#digest.<window start>`) collecting the escalations that found the slot taken.
 */
export class DynamoSlackPacingStore implements SlackPacing {
  constructor(private readonly ctx: StoreContext) {}

  async takeSlot(channel: string, now: Date, intervalMs: number): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: { PK: `SLACKPACE#${channel}`, SK: 'PACE' },
          UpdateExpression: 'SET nextAt = :next, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt <= :now',
          ExpressionAttributeNames: { '#ttl': K.ttlAttribute },
          ExpressionAttributeValues: { ':now': now.getTime(), ':next': now.getTime() + intervalMs, ':ttl': Math.floor(now.getTime() / 1000) + 86_400 },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  async joinDigest(channel: string, entry: { readonly line: string; readonly mention?: string }, now: Date, windowMs: number): Promise<{ incidentId: string; messageId: string }> {
    const incidentId = digestOwner(channel);
    // A window's digest already claimed (clocks a little apart): the next window's.
    for (let window = Math.floor(now.getTime() / windowMs) * windowMs, attempt = 0; ; window += windowMs, attempt++) {
      const messageId = `digest.${new Date(window).toISOString()}`;
      // Posted a second after its window ends: claimed before that by nobody (retryAt), re-driven by the clock.
      const ready = new Date(window + windowMs + 1_000).toISOString();
      try {
        await this.ctx.doc.send(
          new UpdateCommand({
            TableName: this.ctx.tableName,
            Key: messageKey(incidentId, messageId),
            // A set: the same escalation joining twice (a redelivered record) is one line.
            UpdateExpression: `SET #entity = :outbox, #incidentId = :incident, #messageId = :id, #channel = :slack, #kind = :digest, #subject = :subject, #text = if_not_exists(#text, :text), #createdAt = if_not_exists(#createdAt, :now), #status = if_not_exists(#status, :pending), #attempts = if_not_exists(#attempts, :zero), #retryAt = :ready, #dp = if_not_exists(#dp, :due), #d = if_not_exists(#d, :ready), #ttl = :ttl${channel === 'default' ? '' : ', #slackChannel = :channel'} ADD #lines :line${entry.mention ? ', #mentions :mention' : ''}`,
            ConditionExpression: 'attribute_not_exists(PK) OR #status = :pending',
            ExpressionAttributeNames: {
              ...Object.fromEntries(['entity', 'incidentId', 'messageId', 'channel', 'kind', 'subject', 'text', 'createdAt', 'status', 'attempts', 'retryAt', 'lines'].map((name) => [`#${name}`, name])),
              ...(entry.mention ? { '#mentions': 'mentions' } : {}),
              ...(channel === 'default' ? {} : { '#slackChannel': 'slackChannel' }),
              '#dp': K.duePartitionKey,
              '#d': K.dueSortKey,
              '#ttl': K.ttlAttribute,
            },
            ExpressionAttributeValues: {
              ':outbox': 'Outbox',
              ':incident': incidentId,
              ':id': messageId,
              ':slack': 'slack',
              ':digest': 'digest',
              ':subject': 'breachclock: escalations merged into one post',
              ':text': '(the digest is written when it is sent)',
              ':now': now.toISOString(),
              ':pending': 'pending',
              ':zero': 0,
              ':ready': ready,
              ':due': DUE_PARTITION,
              ':ttl': Math.floor(now.getTime() / 1000) + 30 * 86_400,
              ':line': new Set([entry.line]),
              ...(entry.mention ? { ':mention': new Set([entry.mention]) } : {}),
              ...(channel === 'default' ? {} : { ':channel': channel }),
            },
          }),
        );
        return { incidentId, messageId };
      } catch (error) {
        if (!conditionFailed(error) || attempt >= 5) throw error;
      }
    }
  }
}
