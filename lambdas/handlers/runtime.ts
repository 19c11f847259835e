import { createDocumentClient } from '../adapters/dynamo/client.js';
import { DynamoIncidentStore } from '../adapters/dynamo/dynamo-incident-store.js';
import type { MessageContext } from '../domain/messages.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadConfig, type Config } from '../shared/config.js';
import { cachedSecret, parseIngestCredentials, type IngestCredentials } from '../shared/secrets.js';

export interface Runtime {
  readonly config: Config;
  readonly doc: ReturnType<typeof createDocumentClient>;
  readonly store: DynamoIncidentStore;
  readonly clock: Clock;
  readonly messageContext: MessageContext;
  readonly ingestCredentials: () => Promise<IngestCredentials>;
}

export function messageContextFor(config: Pick<Config, 'publicBaseUrl'>): MessageContext {
  const base = config.publicBaseUrl;
  return base ? { incidentUrl: (id) => `${base}/incidents/${encodeURIComponent(id)}` } : {};
}

/** Composition root for a Lambda cold start: validated config, clients made once, reused across invocations. */
export function buildRuntime(env: Record<string, string | undefined> = process.env, clock: Clock = systemClock): Runtime {
  const config = loadConfig(env);
  const doc = createDocumentClient(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {});
  const store = new DynamoIncidentStore(doc, config.tableName, { alertRetentionDays: config.alertRetentionDays });
  const messageContext = messageContextFor(config);
  const ingestCredentials = config.ingestTokensSecretArn
    ? cachedSecret(config.ingestTokensSecretArn, parseIngestCredentials)
    : async (): Promise<IngestCredentials> => ({
        tokens: config.ingestTokens,
        sentryClientSecrets: config.sentryClientSecrets,
        pagerdutyRoutingKeys: config.pagerdutyRoutingKeys,
        pagerdutyWebhookSecrets: config.pagerdutyWebhookSecrets,
      });
  return {
    config,
    doc,
    store,
    clock,
    messageContext,
    ingestCredentials,
  };
}
