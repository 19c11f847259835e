import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { senderAdapters } from '../../lambdas/handlers/send-notice-chunk.handler.js';
import type { Config } from '../../lambdas/shared/config.js';

/**
 * The sender's adapters on AWS. A chunk that completes a notice deletes its recipient list (completeIfDone):
 * before, the sender brought no list adapter, the delete failed as "not available in this function", the error
 * was swallowed and the people's addresses stayed in S3 until the bucket's lifecycle rule. Through a fake AWS
 * endpoint (AWS_ENDPOINT_URL): the S3 client is only asked on the first delete, and deletes that object.
 */
describe('senderAdapters', () => {
  let server: Server;
  const requests: { method?: string; path?: string }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests.push({ ...(req.method ? { method: req.method } : {}), ...(req.url ? { path: req.url } : {}) });
        res.writeHead(req.method === 'DELETE' ? 204 : 400);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, { AWS_ENDPOINT_URL: base, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
  });

  afterAll(() => {
    server.close();
    process.env = saved;
  });

  const notices = { fromEmail: 'dpo@example.org', recipientBucket: 'breachclock-recipient-lists-1-eu-west-1', sesSendRate: 14, sendConcurrency: 2, listRetentionDays: 30 } as unknown as Config['notices'];

  it('deletes a completed notice\'s list in the recipient bucket, with the S3 client built on that first use', async () => {
    const adapters = senderAdapters(notices, undefined);
    expect(requests).toEqual([]);
    await adapters.lists!.delete!('recipients/INC-1/N-1.csv');
    expect(requests).toEqual([{ method: 'DELETE', path: '/breachclock-recipient-lists-1-eu-west-1/recipients/INC-1/N-1.csv?x-id=DeleteObject' }]);
    expect(adapters.lists!.open).toBeUndefined(); // the sender reads no list: the planner does
  });

  it('stops at the cold start when the recipient bucket is not configured', () => {
    expect(() => senderAdapters({ ...notices, recipientBucket: undefined } as unknown as Config['notices'], undefined)).toThrow(/RECIPIENT_BUCKET is not configured/);
  });
});
