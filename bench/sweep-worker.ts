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
const { endpoint, tableName, now } = workerData as { endpoint: string; tableName: string; now: string };
const doc = createDocumentClient({ endpoint, region: 'local' });
const store = new DynamoIncidentStore(doc, tableName);
let fired = 0;
let stale = 0;
const fire = store.fireTimer.bind(store);
store.fireTimer = async (write) => {
  const outcome = await fire(write);
  if (outcome === 'fired') fired++;
  else stale++;
  return outcome;
};
const clock = { now: () => new Date(now) };
const handler = makeSweepHandler({
  store,
  clock,
  ladder: DEFAULT_LADDER,
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
