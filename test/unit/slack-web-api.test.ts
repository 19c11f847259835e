import { SlackWebApi } from '../../lambdas/adapters/delivery/slack-web-api.js';
import { PermanentDeliveryError, RetryLaterError } from '../../lambdas/ports/message-sender.js';
import { SlackMessageGoneError } from '../../lambdas/ports/slack-api.js';

/** How Slack's answers become errors the dispatcher acts on (issue 15.3). */
describe('Slack Web API answers', () => {
  const api = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new SlackWebApi(async () => 'xoxb-test', (async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })) as typeof fetch);
  const ref = { channel: 'C0SEC', ts: '1.000001' };
  const text = { text: 'x' };

  it('429: waits as long as Retry-After says (bounded to an hour)', async () => {
    await expect(api(429, {}, { 'retry-after': '30' }).updateMessage(ref, text)).rejects.toMatchObject({ name: 'RetryLaterError', retryAfterMs: 30_000 });
    await expect(api(429, {}, { 'retry-after': '999999' }).updateMessage(ref, text)).rejects.toMatchObject({ retryAfterMs: 3_600_000 });
    await expect(api(429, {}).postMessage({ channel: 'C0SEC', text: 'x' })).rejects.toBeInstanceOf(RetryLaterError);
  });

  it('a gone live message is its own error; channel and token problems are permanent; others are retried', async () => {
    await expect(api(200, { ok: false, error: 'message_not_found' }).updateMessage(ref, text)).rejects.toBeInstanceOf(SlackMessageGoneError);
    for (const error of ['channel_not_found', 'not_in_channel', 'invalid_auth', 'is_archived']) {
      await expect(api(200, { ok: false, error }).postMessage({ channel: 'C0SEC', text: 'x' })).rejects.toBeInstanceOf(PermanentDeliveryError);
    }
    const transient = api(200, { ok: false, error: 'internal_error' }).postMessage({ channel: 'C0SEC', text: 'x' });
    await expect(transient).rejects.toThrow(/internal_error/);
    await expect(transient).rejects.not.toBeInstanceOf(PermanentDeliveryError);
  });
});
