import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAwsSender } from '../../lambdas/handlers/delivery-runtime.js';
import type { OutboxMessage } from '../../lambdas/domain/messages.js';
import type { Config } from '../../lambdas/shared/config.js';
import { systemClock } from '../../lambdas/ports/clock.js';

/**
 * The clock's and the dispatcher's AWS senders with their SNS and Secrets Manager clients imported on first use
 * (ADR 0018): a page reaches its SNS topic, a Slack message reads the webhook from its secret, through a fake AWS
 * endpoint (AWS_ENDPOINT_URL), and each client is only asked when its channel is used.
 */
describe('buildAwsSender (clients on first use)', () => {
  let server: Server;
  let base: string;
  const requests: { path?: string; target?: string; body: string }[] = [];
  const saved = { ...process.env };

  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => resolve(text));
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      void body(req).then((text) => {
        const target = req.headers['x-amz-target'] as string | undefined;
        requests.push({ ...(req.url ? { path: req.url } : {}), ...(target ? { target } : {}), body: text });
        if (target === 'secretsmanager.GetSecretValue') {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:slack', Name: 'slack', SecretString: JSON.stringify({ url: `${base}/webhook` }) }));
        } else if (req.url === '/webhook') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('ok');
        } else if (text.includes('Action=Publish')) {
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end('<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>');
        } else {
          res.writeHead(400);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, { AWS_ENDPOINT_URL: base, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session' });
  });

  afterAll(() => {
    server.close();
    process.env = saved;
  });

  const message = (over: Partial<OutboxMessage>): OutboxMessage => ({ messageId: 'm-1', incidentId: 'INC-1', channel: 'sns', subject: 'Escalation', text: 'The 72-hour clock is due', createdAt: '2026-12-06T00:00:00.000Z', ...over });

  it('pages an SNS topic and posts to Slack through the webhook in its secret, asking each service only when its channel is used', async () => {
    const config = { slackWebhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:slack', slackSigningSecrets: [], snsTopicArns: { dpo: 'arn:aws:sns:eu-west-1:1:dpo' } } as unknown as Config;
    const sender = buildAwsSender(config, { store: {} as never, clock: systemClock, messageContext: {} });
    expect(requests).toEqual([]);

    expect(await sender.send(message({ channel: 'sns', topic: 'dpo' }))).toEqual({ providerMessageId: 'sns-1' });
    expect(requests.map((r) => r.target ?? r.path)).toEqual(['/']);
    expect(requests[0]!.body).toContain('TopicArn=arn%3Aaws%3Asns%3Aeu-west-1%3A1%3Adpo');

    await sender.send(message({ messageId: 'm-2', channel: 'slack' }));
    expect(requests.map((r) => r.target ?? r.path)).toEqual(['/', 'secretsmanager.GetSecretValue', '/webhook']);
    expect(JSON.parse(requests[2]!.body)).toMatchObject({ text: expect.stringContaining('The 72-hour clock is due') });
    // SNS has no lookup: a page cut off by a crash cannot be confirmed.
    expect(await sender.confirm!(message({ channel: 'sns', topic: 'dpo' }))).toEqual({ outcome: 'unknown' });
  });
});
