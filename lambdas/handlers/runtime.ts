import { createDocumentClient } from '../adapters/dynamo/client.js';
import { DynamoIncidentStore, type DynamoStoreOptions } from '../adapters/dynamo/dynamo-incident-store.js';
import { DynamoOfficerStore } from '../adapters/dynamo/dynamo-officer-store.js';
import type { MessageContext } from '../domain/messages.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadConfig, type Config } from '../shared/config.js';

export interface Runtime<S = DynamoIncidentStore> {
  readonly config: Config;
  readonly doc: ReturnType<typeof createDocumentClient>;
  readonly store: S;
  readonly clock: Clock;
  readonly messageContext: MessageContext;
}

export function messageContextFor(config: Pick<Config, 'publicBaseUrl'>): MessageContext {
  const base = config.publicBaseUrl;
  return base ? { incidentUrl: (id) => `${base}/incidents/${encodeURIComponent(id)}` } : {};
}

/** Composition root for a Lambda cold start: validated config, clients made once, reused across invocations. */
export function buildRuntime(env: Record<string, string | undefined> = process.env, clock: Clock = systemClock): Runtime {
  return buildRuntimeWith((doc, tableName, options) => new DynamoIncidentStore(doc, tableName, options), env, clock);
}

/**
 * The runtime of a function that only reads incidents and their timers and records people's decisions (the notice
 * planner, sender and SES events): the officers' store, so its bundle carries none of ingest's, the alert stream's,
 * Slack's or the dispatcher's writes (ADR 0018).
 */
export function buildOfficerRuntime(env: Record<string, string | undefined> = process.env, clock: Clock = systemClock): Runtime<DynamoOfficerStore> {
  return buildRuntimeWith((doc, tableName, options) => new DynamoOfficerStore(doc, tableName, options), env, clock);
}

/**
 * The same with the store a function needs: the api function builds only the officers' store, so its bundle
 * carries none of ingest's, the alert stream's or the dispatcher's writes (esbuild drops what is not reached).
 */
export function buildRuntimeWith<S>(
  makeStore: (doc: ReturnType<typeof createDocumentClient>, tableName: string, options: DynamoStoreOptions) => S,
  env: Record<string, string | undefined> = process.env,
  clock: Clock = systemClock,
): Runtime<S> {
  const config = loadConfig(env);
  const doc = createDocumentClient(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {});
  const store = makeStore(doc, config.tableName, { alertRetentionDays: config.alertRetentionDays });
  const messageContext = messageContextFor(config);
  return {
    config,
    doc,
    store,
    clock,
    messageContext,
  };
}
