import { generateKeyPairSync } from 'node:crypto';
import { isAwsSnsUrl, SnsMessageVerifier, SnsSignatureError, snsEnvelopeSchema } from '../../lambdas/adapters/sns-message-verifier.js';
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
});
