import { createHmac } from 'node:crypto';
import { signSlackJob, signSlackRequest, SLACK_JOB_TTL_SECONDS, SlackJobSignatureError, SlackSignatureError, verifySlackJob, verifySlackRequest } from '../../lambdas/shared/slack-signature.js';

// Slack's published example ("Verifying requests from Slack").
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = new Date(Number(TIMESTAMP) * 1000 + 30_000);

describe('Slack request signatures (v0)', () => {
  it("accepts Slack's published test vector, also when the secret is the second of two (rotation)", () => {
    expect(() => verifySlackRequest({ rawBody: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, [SECRET], AT)).not.toThrow();
    expect(() => verifySlackRequest({ rawBody: Buffer.from(BODY), timestamp: TIMESTAMP, signature: SIGNATURE }, ['new-secret', SECRET], AT)).not.toThrow();
    expect(signSlackRequest(BODY, SECRET, Number(TIMESTAMP))).toBe(SIGNATURE);
  });

  it.each([
    ['a tampered body', { rawBody: BODY.replace('roadrunner', 'coyote'), timestamp: TIMESTAMP, signature: SIGNATURE }, /does not match/],
    ['a tampered timestamp', { rawBody: BODY, timestamp: '1531420619', signature: SIGNATURE }, /does not match/],
    ['a wrong secret', { rawBody: BODY, timestamp: TIMESTAMP, signature: signSlackRequest(BODY, 'other', Number(TIMESTAMP)) }, /does not match/],
    ['a missing signature', { rawBody: BODY, timestamp: TIMESTAMP, signature: undefined }, /required/],
    ['a non-numeric timestamp', { rawBody: BODY, timestamp: 'yesterday', signature: SIGNATURE }, /not a Unix time/],
  ])('refuses %s', (_name, request, message) => {
    expect(() => verifySlackRequest(request, [SECRET], AT)).toThrow(message);
  });

  it('refuses requests older (or newer) than five minutes: no replays', () => {
    const late = new Date(Number(TIMESTAMP) * 1000 + 301_000);
    expect(() => verifySlackRequest({ rawBody: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, [SECRET], late)).toThrow(SlackSignatureError);
    expect(() => verifySlackRequest({ rawBody: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, [SECRET], late)).toThrow(/301 s old/);
    const early = new Date(Number(TIMESTAMP) * 1000 - 301_000);
    expect(() => verifySlackRequest({ rawBody: BODY, timestamp: TIMESTAMP, signature: SIGNATURE }, [SECRET], early)).toThrow(SlackSignatureError);
  });
});

describe('internal Slack jobs (issue 24.5)', () => {
  const job = { kind: 'act', incidentId: 'INC-1', action: { type: 'acknowledge' }, actor: 'rita [slack:U0R]', responseUrl: undefined };
  const NOW = new Date('2026-12-04T12:00:00Z');

  it('verifies a job it signed, whatever the order of its keys after a JSON round trip, also with the old of two secrets', () => {
    const signed = signSlackJob(job, ['old'], NOW);
    expect(signed).toMatchObject({ v: 1, job, expiresAt: NOW.getTime() / 1000 + SLACK_JOB_TTL_SECONDS, signature: expect.stringMatching(/^v1=[0-9a-f]{64}$/) });
    const roundTripped = JSON.parse(JSON.stringify({ ...signed, job: { actor: job.actor, action: job.action, incidentId: job.incidentId, kind: job.kind } }));
    expect(verifySlackJob(roundTripped, ['new', 'old'], NOW)).toEqual({ kind: 'act', incidentId: 'INC-1', action: { type: 'acknowledge' }, actor: 'rita [slack:U0R]' });
  });

  it.each([
    ['a bare job', job, /not signed/],
    ['no envelope', undefined, /not signed/],
    ['another key', signSlackJob(job, ['other'], NOW), /does not match/],
    ['a changed actor', { ...signSlackJob(job, ['s'], NOW), job: { ...job, actor: 'dana [slack:U0D]' } }, /does not match/],
    ['a later expiry', { ...signSlackJob(job, ['s'], NOW), expiresAt: NOW.getTime() / 1000 + 86_400 }, /does not match/],
    ['the signing secret used as the job key', { v: 1, job, expiresAt: NOW.getTime() / 1000 + 60, signature: `v1=${createHmac('sha256', 's').update(`v1:${NOW.getTime() / 1000 + 60}:${JSON.stringify(job)}`).digest('hex')}` }, /does not match/],
  ])('refuses %s', (_name, envelope, message) => {
    expect(() => verifySlackJob(envelope, ['s'], NOW)).toThrow(SlackJobSignatureError);
    expect(() => verifySlackJob(envelope, ['s'], NOW)).toThrow(message);
  });

  it('refuses an expired job, and signs nothing without a secret', () => {
    const signed = signSlackJob(job, ['s'], NOW);
    expect(() => verifySlackJob(signed, ['s'], new Date(NOW.getTime() + SLACK_JOB_TTL_SECONDS * 1000))).not.toThrow();
    expect(() => verifySlackJob(signed, ['s'], new Date(NOW.getTime() + SLACK_JOB_TTL_SECONDS * 1000 + 1000))).toThrow(/expired/);
    expect(() => signSlackJob(job, [], NOW)).toThrow(/No Slack signing secret/);
  });
});
