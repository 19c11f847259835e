import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringToSign, type SnsEnvelope } from '../../lambdas/adapters/sns-message-verifier.js';
import { startLocalStack, type LocalStack } from '../../local/local-stack.js';
import confirmation from '../events/cloudwatch/subscription-confirmation.json' with { type: 'json' };
import notification from '../events/cloudwatch/alarm-notification.json' with { type: 'json' };

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:breachclock-alarms';

/**
 * Issue 15.4: the whole CloudWatch path on the local stack, without AWS: the stack trusts a locally
 * generated SNS signing certificate (SNS_LOCAL_SIGNING_CERT, local only), so a signed subscription
 * confirmation and a signed alarm notification go through ingest as they would from SNS.
 */
describe('CloudWatch alarms through SNS, end to end on the local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'breachclock-sns-e2e-'));
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let stack: LocalStack;

  beforeAll(async () => {
    const certificate = join(dataDir, 'local-sns-signing.pem');
    writeFileSync(certificate, keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    stack = await startLocalStack({ dataDir, port: 0, clockIntervalMs: 500, streamIntervalMs: 100, env: { SNS_LOCAL_SIGNING_CERT: certificate, SNS_ALLOWED_TOPIC_ARNS: TOPIC } });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sign = (envelope: Record<string, unknown>, key = keys.privateKey) => {
    const e = { ...envelope, Timestamp: new Date().toISOString() } as unknown as SnsEnvelope;
    const signer = createSign(e.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
    signer.update(stringToSign(e));
    return { ...e, Signature: signer.sign(key, 'base64') };
  };
  const post = (body: unknown) => fetch(`${stack.url}/alerts/cloudwatch`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': String((body as { Type: string }).Type) }, body: JSON.stringify(body) });

  it('confirms the subscription, opens an incident from a signed alarm, and refuses forged or tampered ones', async () => {
    const confirmed = await post(sign(confirmation));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ confirmed: true, topicArn: TOPIC });
    const recorded = (await (await fetch(`${stack.url}/local/sns`, { headers: { authorization: `Bearer ${stack.apiToken}` } })).json()) as { trustsLocalCertificate: boolean; confirmations: { subscribeUrl: string }[] };
    expect(recorded.trustsLocalCertificate).toBe(true);
    expect(recorded.confirmations.map((c) => c.subscribeUrl)).toEqual([confirmation.SubscribeURL]);

    const alarm = await post(sign(notification));
    expect(alarm.status).toBe(202);
    const opened = (await alarm.json()) as { outcome: string; incidentId: string };
    expect(opened.outcome).toBe('opened');
    const detail = (await (await fetch(`${stack.url}/api/incidents/${opened.incidentId}`, { headers: { authorization: `Bearer ${stack.apiToken}` } })).json()) as { incident: { source: string } };
    expect(detail.incident.source).toBe('cloudwatch');

    // Signed by another key, or changed after signing: refused before anything is written.
    expect((await post(sign({ ...notification, MessageId: 'other-1' }, stranger.privateKey))).status).toBe(401);
    const tampered = { ...sign({ ...notification, MessageId: 'other-2' }), Message: notification.Message.replace('s3-unusual-getobject', 's3-other') };
    expect((await post(tampered)).status).toBe(401);
  }, 60_000);
});
