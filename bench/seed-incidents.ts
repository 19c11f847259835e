import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

/**
 * The same incidents as `seedOpenIncidents`, written faster for large benchmarks: each opening transaction
 * the store would send is captured (so the items are exactly the store's) and its puts go out as
 * BatchWriteItem calls of 25, `concurrency` at a time, without the transaction's conditions. For fresh
 * tables only (nothing to condition on).
 */
export async function seedOpenIncidentsFast(
  doc: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  concurrency: number,
  open: (i: number) => { readonly incident: Incident; readonly event: TimelineEvent; readonly timers?: readonly PlannedTimer[] },
): Promise<void> {
  const captured: Record<string, unknown>[] = [];
  const recorder = {
    send: async (command: { input: { TransactItems?: { Put?: { Item: Record<string, unknown> } }[] } }) => {
      for (const item of command.input.TransactItems ?? []) {
        if (!item.Put) throw new Error('seedOpenIncidentsFast: the opening transaction holds more than puts');
        captured.push(item.Put.Item);
      }
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  const capture = new DynamoIncidentStore(recorder, tableName);
  for (let i = 0; i < count; i++) {
    const { incident, event, timers = [] } = open(i);
    await capture.openIncident({
      incident,
      event,
      timers,
      outbox: [],
      alert: { alertId: `A-${i}`, incidentId: incident.id, source: incident.source, fingerprint: incident.fingerprint, title: incident.title, severity: incident.severity, status: 'firing', outcome: 'opened', rule: 'seed', receivedAt: incident.detectedAt },
    });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let at = (next += 25) - 25; at < captured.length; at = (next += 25) - 25) {
        let requests: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = captured.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests?.length; attempt++) {
          if (attempt > 10) throw new Error('BatchWriteItem left items unwritten');
          const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = result.UnprocessedItems?.[tableName] as typeof requests;
        }
      }
    }),
  );
}
