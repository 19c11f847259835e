/**
 * One "Lambda instance" of the clock function in bench/sweep-burst.ts: its own sweep handler and DynamoDB
 * client (nothing shared with the other instances), invoked with one SQS event at a time, as the sweep
 * queue's event source mapping invokes it on AWS (batch size 1).
 */
import { parentPort, workerData } from 'node:worker_threads';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { createDocumentClient } = await import('../lambdas/adapters/dynamo/client.js');
const { DynamoIncidentStore } = await import('../lambdas/adapters/dynamo/dynamo-incident-store.js');
const { DEFAULT_LADDER } = await import('../lambdas/domain/escalation-ladder.js');
const { makeSweepHandler } = await import('../lambdas/handlers/sweep-due-timers.handler.js');
const { endpoint, tableName, now, groupSize } = workerData as { endpoint: string; tableName: string; now: string; groupSize: number };
const doc = createDocumentClient({ endpoint, region: 'local' });
const store = new DynamoIncidentStore(doc, tableName);
let fired = 0;
let stale = 0;
// Steps fired and found already fired, whether settled in a group (settleTimers) or alone (fireTimer).
const fire = store.fireTimer.bind(store);
store.fireTimer = async (write) => {
  const outcome = await fire(write);
  if (outcome === 'fired') fired++;
  else stale++;
  return outcome;
};
const settle = store.settleTimers.bind(store);
store.settleTimers = async (writes) => {
  const outcomes = await settle(writes);
  fired += outcomes.filter((outcome) => outcome === 'fired').length;
  stale += outcomes.filter((outcome) => outcome === 'stale').length;
  return outcomes;
};
const clock = { now: () => new Date(now) };
const handler = makeSweepHandler({
  store,
  clock,
  ladder: DEFAULT_LADDER,
  groupSize,
  // Messages fall due two minutes after they are written: none is re-driven in this run.
  dispatch: { outbox: store, sender: { send: async () => ({}) }, clock },
});
const context = { awsRequestId: 'bench', functionName: 'bench-clock' } as never;

parentPort!.on('message', async (message: { messageId: string; body: string } | 'stop') => {
  if (message === 'stop') return process.exit(0);
  const started = performance.now();
  const answer = (await handler({ Records: [{ messageId: message.messageId, body: message.body, eventSource: 'aws:sqs' }] }, context)) as { batchItemFailures: unknown[] };
  parentPort!.postMessage({ failed: answer.batchItemFailures.length, ms: performance.now() - started, fired, stale });
});
parentPort!.postMessage('ready');
