// Starts one in-memory DynamoDB Local for the whole test run (each test file makes its own table), on
// 127.0.0.1 only, as `npm start` runs it (local/dynamo-local-process.mjs).
// Plain JavaScript: jest loads global setup outside the TypeScript transform.
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { DYNAMO_LOCAL_HOST, dynamoLocalStartHint, spawnDynamoLocal } from '../../local/dynamo-local-process.mjs';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  const port = await freePort();
  const child = spawnDynamoLocal({ port, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const endpoint = `http://${DYNAMO_LOCAL_HOST}:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output}${dynamoLocalStartHint(output)}`);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start on ${endpoint} within 30 s:\n${output}`);
    }
    await delay(150);
  }
  globalThis.__DYNAMO_LOCAL__ = child;
  process.env.TEST_DYNAMODB_ENDPOINT = endpoint;
}
