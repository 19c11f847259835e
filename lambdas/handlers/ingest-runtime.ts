import { randomIds } from '../adapters/random-ids.js';
import { AttachBatcher } from '../app/attach-batcher.js';
import { FingerprintCache } from '../app/fingerprint-cache.js';
import type { IngestDeps } from '../app/ingest-alert.js';
import { DEFAULT_ROUTING, parseRoutingRules, type RoutingRules } from '../domain/routing.js';
import type { Config } from '../shared/config.js';
import type { Runtime } from './runtime.js';

/** The routing rules of the configuration (validated and compiled once, at cold start), or the defaults. */
export async function routingFor(config: Pick<Config, 'routingRules'>): Promise<RoutingRules> {
  return config.routingRules === undefined ? DEFAULT_ROUTING : await parseRoutingRules(config.routingRules);
}

/** What the two ingest functions need beyond the shared runtime: routing, ids, the fingerprint cache and batcher. */
export async function ingestDepsFor(runtime: Runtime): Promise<IngestDeps> {
  const { store, clock, config, messageContext } = runtime;
  return { store, clock, ids: randomIds, ladder: config.ladder, tasks: config.tasks, routing: await routingFor(config), messageContext, fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store), toolTimeWindowMs: config.toolTimeWindowMs, ...(config.storm ? { storm: config.storm } : {}) };
}
