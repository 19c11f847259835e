import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoIncidentStore } from '../lambdas/adapters/dynamo/dynamo-incident-store.js';
import type { PlannedTimer } from '../lambdas/domain/escalation-ladder.js';
import type { Incident, TimelineEvent } from '../lambdas/domain/incident-record.js';
import { ensureTable, localDynamoClient } from '../local/dynamo-local.js';

/** A table of breachclock's shape on a running DynamoDB Local (created if missing), and the store over it. */
export async function benchStore(endpoint: string, doc: DynamoDBDocumentClient, tableName: string): Promise<DynamoIncidentStore> {
  const client = localDynamoClient(endpoint);
  await ensureTable(client, tableName);
  client.destroy();
  return new DynamoIncidentStore(doc, tableName);
}

/**
 * Writes `count` open incidents straight through the store (as ingest opens them, each with its first alert),
 * `concurrency` at a time: for benchmarks and tests that need many incidents fast. `open(i)` makes the i-th.
 */
export async function seedOpenIncidents(
  store: DynamoIncidentStore,
  count: number,
  concurrency: number,
  open: (i: number) => { readonly incident: Incident; readonly event: TimelineEvent; readonly timers?: readonly PlannedTimer[] },
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const { incident, event, timers = [] } = open(i);
        await store.openIncident({
          incident,
          event,
          timers,
          outbox: [],
          alert: { alertId: `A-${i}`, incidentId: incident.id, source: incident.source, fingerprint: incident.fingerprint, title: incident.title, severity: incident.severity, status: 'firing', outcome: 'opened', rule: 'seed', receivedAt: incident.detectedAt },
        });
      }
    }),
  );
}
