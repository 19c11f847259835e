import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { confirmSubscription, fetchCertificate, isAwsSnsUrl, SnsMessageVerifier, SnsSignatureError, snsEnvelopeSchema } from '../../lambdas/adapters/sns-message-verifier.js';
import notification from '../events/cloudwatch/alarm-notification.json' with { type: 'json' };
import cpu from '../events/cloudwatch/cpu-alarm.json' with { type: 'json' };
import subscription from '../events/cloudwatch/subscription-confirmation.json' with { type: 'json' };
import { signSns, snsTestCertificate } from '../support/sns.js';

describe('SNS message signatures', () => {
  const fetched: string[] = [];
  const verifier = new SnsMessageVerifier(async (url) => {
    fetched.push(url);
    return snsTestCertificate;
  });
  const envelope = (value: unknown) => snsEnvelopeSchema().parse(value);

  it('accepts signature versions 2 (SHA256) and 1 (SHA1), for notifications and subscription confirmations, fetching the certificate once', async () => {
    await verifier.verify(envelope(signSns(notification)));
    await verifier.verify(envelope(signSns(cpu)));
    await verifier.verify(envelope(signSns(subscription)));
    expect(fetched).toHaveLength(1);
  });

  it('rejects a tampered message, a foreign signer and a certificate URL that is not an AWS SNS host', async () => {
    const signed = signSns(notification);
    await expect(verifier.verify(envelope({ ...signed, Message: signed.Message.replace('ALARM', 'OK') }))).rejects.toThrow('The SNS message signature is not valid');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect(verifier.verify(envelope(signSns(notification, stranger)))).rejects.toThrow(SnsSignatureError);
    for (const url of ['https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem', 'http://sns.eu-west-1.amazonaws.com/cert.pem', 'https://evil.example/sns.eu-west-1.amazonaws.com/x.pem']) {
      await expect(verifier.verify(envelope(signSns({ ...notification, SigningCertURL: url })))).rejects.toThrow(/not an AWS SNS certificate URL/);
    }
  });

  it('knows AWS SNS hosts, including China regions', () => {
    expect(isAwsSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription')).toBe(true);
    expect(isAwsSnsUrl('https://user:pw@sns.eu-west-1.amazonaws.com/')).toBe(false);
    expect(isAwsSnsUrl('not a url')).toBe(false);
  });
  // Issue 24.5: who may sign for a topic, how the certificate is fetched, which algorithm is accepted.
  it("refuses a certificate from another region than the signed TopicArn's (or the deployment's, when given)", async () => {
    const elsewhere = { ...notification, SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-a86cb10b4e1f29c941702d737128f7b6.pem' };
    await expect(verifier.verify(envelope(signSns(elsewhere)))).rejects.toThrow(/region/);
    const china = { ...notification, SigningCertURL: 'https://sns.eu-west-1.amazonaws.com.cn/SimpleNotificationService-x.pem' };
    await expect(verifier.verify(envelope(signSns(china)))).rejects.toThrow(/partition|region/);
    const deployed = new SnsMessageVerifier(async () => snsTestCertificate, { region: 'eu-central-1' });
    await expect(deployed.verify(envelope(signSns(notification)))).rejects.toThrow(/region/);
    await expect(new SnsMessageVerifier(async () => snsTestCertificate, { region: 'eu-west-1' }).verify(envelope(signSns(notification)))).resolves.toBeUndefined();
  });

  it('refuses SignatureVersion 1 (SHA1) when configured to require version 2', async () => {
    const strict = new SnsMessageVerifier(async () => snsTestCertificate, { requireSignatureVersion2: true });
    await expect(strict.verify(envelope(signSns(cpu)))).rejects.toThrow(/SignatureVersion 1/);
    await expect(strict.verify(envelope(signSns(notification)))).resolves.toBeUndefined();
  });

  describe('redirects are not followed', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/cert.pem') res.writeHead(302, { location: '/elsewhere.pem' }).end();
        else res.writeHead(200, { 'content-type': 'text/plain' }).end(snsTestCertificate);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetching the signing certificate', async () => {
      await expect(fetchCertificate(`${base}/cert.pem`)).rejects.toThrow(/redirect/i);
      await expect(fetchCertificate(`${base}/direct.pem`)).resolves.toBe(snsTestCertificate);
    });

    it('confirming a subscription', async () => {
      const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }));
      try {
        await expect(confirmSubscription('https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t')).rejects.toThrow(/redirect/i);
        expect(fetchSpy.mock.calls[0]![1]).toMatchObject({ redirect: 'manual' });
      } finally {
        fetchSpy.mockRestore();
      }
    });
  });
});
