import { jest } from '@jest/globals';
import notification from '../events/cloudwatch/alarm-notification.json' with { type: 'json' };
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';
import { signSns } from '../support/sns.js';

/**
 * Issue 24.5: the deployed ingest function verifies SNS messages with the deployment's region and, when the
 * stack sets it, refuses SignatureVersion 1. Both refusals happen before any certificate is fetched or any
 * table is touched, so the handler runs here as Lambda runs it, from its environment.
 */
describe('the deployed ingest handler verifies SNS as the deployment says', () => {
  let handler: (typeof import('../../lambdas/handlers/ingest-alert.handler.js'))['handler'];
  const saved = { ...process.env };

  beforeAll(async () => {
    Object.assign(process.env, {
      TABLE_NAME: 'not-touched',
      AWS_REGION: 'eu-central-1',
      SNS_REQUIRE_SIGNATURE_V2: 'true',
      SNS_ALLOWED_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:111122223333:breachclock-alarms',
      INGEST_TOKENS: 'tok',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    jest.resetModules();
    ({ handler } = await import('../../lambdas/handlers/ingest-alert.handler.js'));
  });
  afterAll(() => {
    process.env = saved;
  });

  const post = (body: unknown) => handler(httpEvent('POST', '/alerts/cloudwatch', { body: JSON.stringify(body), headers: { 'content-type': 'text/plain; charset=UTF-8' }, pathParameters: { source: 'cloudwatch' } }), lambdaContext).then(parse);

  it("refuses a certificate of a region other than the deployment's", async () => {
    const answer = await post(signSns(notification));
    expect(answer).toMatchObject({ error: { code: 'invalid_signature', message: expect.stringMatching(/not this deployment's region eu-central-1/) } });
  });

  it('refuses SignatureVersion 1', async () => {
    const central = { ...notification, TopicArn: 'arn:aws:sns:eu-central-1:111122223333:breachclock-alarms', SigningCertURL: notification.SigningCertURL.replace('eu-west-1', 'eu-central-1'), SignatureVersion: '1' };
    process.env.SNS_ALLOWED_TOPIC_ARNS = central.TopicArn;
    jest.resetModules();
    ({ handler } = await import('../../lambdas/handlers/ingest-alert.handler.js'));
    const answer = await post(signSns(central));
    expect(answer).toMatchObject({ error: { code: 'invalid_signature', message: expect.stringMatching(/SignatureVersion 1 \(SHA1\) is refused/) } });
  });
});
