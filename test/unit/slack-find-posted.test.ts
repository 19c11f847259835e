import { SlackWebApi } from '../../lambdas/adapters/delivery/slack-web-api.js';
import { PermanentDeliveryError } from '../../lambdas/ports/message-sender.js';

/** Issue 27.1: finding an escalation already posted before a crash, by its metadata, through Slack's read methods. */
describe('SlackWebApi.findPosted', () => {
  const calls: URL[] = [];
  const answer = (pages: unknown[]) => {
    let page = 0;
    return (async (input: string | URL) => {
      calls.push(new URL(String(input)));
      return new Response(JSON.stringify(pages[page++]), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
  };
  beforeEach(() => (calls.length = 0));
  const query = { channel: 'C1', threadTs: '100.000001', eventType: 'breachclock_outbox', key: 'outbox_message', value: 'INC-1.escalation.2', oldest: '90.000000' };

  it('reads the thread with metadata, follows the cursor, and answers the post whose metadata names the message', async () => {
    const web = new SlackWebApi(async () => 'xoxb-test', answer([
      { ok: true, messages: [{ ts: '100.000001' }, { ts: '101.000001', metadata: { event_type: 'breachclock_outbox', event_payload: { outbox_message: 'INC-1.escalation.1' } } }], response_metadata: { next_cursor: 'c2' } },
      { ok: true, messages: [{ ts: '102.000001', metadata: { event_type: 'breachclock_outbox', event_payload: { outbox_message: 'INC-1.escalation.2' } } }] },
    ]));
    await expect(web.findPosted(query)).resolves.toEqual({ channel: 'C1', ts: '102.000001' });
    expect(calls.map((u) => u.pathname)).toEqual(['/api/conversations.replies', '/api/conversations.replies']);
    expect(Object.fromEntries(calls[0]!.searchParams)).toEqual({ channel: 'C1', ts: '100.000001', include_all_metadata: 'true', limit: '200', oldest: '90.000000' });
    expect(calls[1]!.searchParams.get('cursor')).toBe('c2');
  });

  it('a channel\'s history when there is no thread; undefined when the post is not there', async () => {
    const web = new SlackWebApi(async () => 'xoxb-test', answer([{ ok: true, messages: [{ ts: '1.0', metadata: { event_type: 'other', event_payload: { outbox_message: 'INC-1.escalation.2' } } }] }]));
    const { threadTs: _thread, ...inChannel } = query;
    await expect(web.findPosted(inChannel)).resolves.toBeUndefined();
    expect(calls[0]!.pathname).toBe('/api/conversations.history');
  });

  it('throws a permanent error when Slack cannot be asked (no history scope), so the dispatcher parks the page rather than post it twice', async () => {
    const web = new SlackWebApi(async () => 'xoxb-test', answer([{ ok: false, error: 'missing_scope' }]));
    const asked = web.findPosted(query);
    await expect(asked).rejects.toThrow(/conversations.replies failed: missing_scope/);
    await expect(asked).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it('a transient failure is an ordinary error (the dispatcher asks again after the lease)', async () => {
    const web = new SlackWebApi(async () => 'xoxb-test', answer([{ ok: false, error: 'internal_error' }]));
    const asked = web.findPosted(query);
    await expect(asked).rejects.toThrow(/internal_error/);
    await expect(asked).rejects.not.toBeInstanceOf(PermanentDeliveryError);
  });
});
