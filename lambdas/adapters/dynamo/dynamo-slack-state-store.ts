import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentReader } from '../../ports/incident-store.js';
import { incidentKey } from './items/incident.js';
import type { StoreContext } from './store-context.js';
import { TABLE_KEYS as K } from './table-definition.js';
import { conditionFailed, epochSeconds } from './transaction.js';

type SlackMessageRef = { channel: string; ts: string };

/** Where each incident's live Slack message is, and which retried interactions were already handled. */
export class DynamoSlackStateStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly incidents: Pick<IncidentReader, 'getIncident'>,
  ) {}

  /** True the first time a key is seen (within its lifetime): idempotency for retried interactions. */
  async rememberOnce(key: string, ttlSeconds: number, now: Date): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: { PK: `ONCE#${key}`, SK: 'ONCE', entity: 'Once', [K.ttlAttribute]: epochSeconds(now) + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Remembers where the live Slack message is; the first writer wins (returns the existing one otherwise). */
  async setSlackMessage(incidentId: string, ref: SlackMessageRef, replacing?: SlackMessageRef): Promise<SlackMessageRef | undefined> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: incidentKey(incidentId),
          UpdateExpression: 'SET slackMessage = :ref',
          // First writer wins: only when none is stored, or (re-posting a gone message) the gone one still is.
          ConditionExpression: replacing
            ? 'attribute_exists(PK) AND (attribute_not_exists(slackMessage) OR slackMessage.ts = :gone)'
            : 'attribute_exists(PK) AND attribute_not_exists(slackMessage)',
          ExpressionAttributeValues: { ':ref': ref, ...(replacing ? { ':gone': replacing.ts } : {}) },
        }),
      );
      return undefined;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.incidents.getIncident(incidentId))?.slackMessage;
    }
  }
}
