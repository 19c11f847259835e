import { PermanentDeliveryError, RetryLaterError } from '../../ports/message-sender.js';
import { SlackMessageGoneError, type PostedQuery, type SlackBlocksMessage, type SlackMessageRef, type SlackWebApi as SlackWebApiPort } from '../../ports/slack-api.js';

const PERMANENT = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'channel_not_found', 'not_in_channel', 'is_archived', 'missing_scope', 'invalid_blocks', 'msg_too_long', 'no_text']);

/** Slack Web API over HTTPS with a bot token (chat.postMessage, chat.update, chat.delete, views.open). */
export class SlackWebApi implements SlackWebApiPort {
  constructor(
    private readonly botToken: () => Promise<string | undefined>,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly baseUrl = 'https://slack.com/api',
  ) {}

  private async call(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const token = await this.botToken();
    if (!token) throw new PermanentDeliveryError('No Slack bot token is configured');
    const response = await this.fetchImpl(`${this.baseUrl}/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status === 429) throw RetryLaterError.fromRetryAfter(response.headers.get('retry-after'), (seconds) => `Slack ${method} rate limited: retry after ${seconds} s`);
    if (!response.ok) throw new Error(`Slack ${method} answered HTTP ${response.status}`);
    const result = (await response.json()) as Record<string, unknown>;
    if (result.ok !== true) {
      const error = String(result.error ?? 'unknown_error');
      if (PERMANENT.has(error)) throw new PermanentDeliveryError(`Slack ${method} refused: ${error}`);
      if (error === 'message_not_found' && method === 'chat.update') throw new SlackMessageGoneError({ channel: String(body.channel), ts: String(body.ts) }, error);
      throw new Error(`Slack ${method} failed: ${error}`);
    }
    return result;
  }

  async postMessage(message: SlackBlocksMessage): Promise<SlackMessageRef> {
    const result = await this.call('chat.postMessage', {
      channel: message.channel,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs, reply_broadcast: message.replyBroadcast ?? false } : {}),
      ...(message.metadata ? { metadata: { event_type: message.metadata.eventType, event_payload: message.metadata.payload } } : {}),
      unfurl_links: false,
    });
    return { channel: String(result.channel), ts: String(result.ts) };
  }

  async updateMessage(ref: SlackMessageRef, message: Omit<SlackBlocksMessage, 'channel' | 'threadTs' | 'replyBroadcast'>): Promise<void> {
    await this.call('chat.update', { channel: ref.channel, ts: ref.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
  }

  async deleteMessage(ref: SlackMessageRef): Promise<void> {
    await this.call('chat.delete', { channel: ref.channel, ts: ref.ts });
  }

  /**
   * conversations.replies (in a thread) or conversations.history (a channel), with include_all_metadata, newest
   * first from `oldest`, up to 5 pages of 200: the bot's post whose metadata matches. Needs the `channels:history`
   * scope (`groups:history` for a private channel); without it Slack answers missing_scope and this throws a
   * PermanentDeliveryError (Slack cannot be asked, now or later), so the dispatcher parks the page as unconfirmed
   * for review rather than post it a second time or drop it silently.
   */
  async findPosted(query: PostedQuery): Promise<SlackMessageRef | undefined> {
    const token = await this.botToken();
    if (!token) throw new PermanentDeliveryError('No Slack bot token is configured');
    const method = query.threadTs ? 'conversations.replies' : 'conversations.history';
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const params = new URLSearchParams({ channel: query.channel, include_all_metadata: 'true', limit: '200', ...(query.threadTs ? { ts: query.threadTs } : {}), ...(query.oldest ? { oldest: query.oldest } : {}), ...(cursor ? { cursor } : {}) });
      const response = await this.fetchImpl(`${this.baseUrl}/${method}?${params}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
      if (response.status === 429) throw RetryLaterError.fromRetryAfter(response.headers.get('retry-after'), (seconds) => `Slack ${method} rate limited: retry after ${seconds} s`);
      if (!response.ok) throw new Error(`Slack ${method} answered HTTP ${response.status}`);
      const result = (await response.json()) as { ok?: boolean; error?: string; messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }[]; response_metadata?: { next_cursor?: string } };
      if (result.ok !== true) {
        const failed = `Slack ${method} failed: ${result.error ?? 'unknown_error'}`;
        throw result.error === 'missing_scope' ? new PermanentDeliveryError(failed) : new Error(failed);
      }
      const found = (result.messages ?? []).find((m) => m.metadata?.event_type === query.eventType && m.metadata.event_payload?.[query.key] === query.value);
      if (found?.ts) return { channel: query.channel, ts: found.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    await this.call('views.open', { trigger_id: triggerId, view });
  }

  async respond(responseUrl: string, message: { text: string; ephemeral?: boolean; replaceOriginal?: boolean }): Promise<void> {
    const url = new URL(responseUrl);
    if (url.protocol !== 'https:' || !/(^|\.)slack\.com$/.test(url.hostname)) throw new PermanentDeliveryError(`response_url ${responseUrl} is not a Slack URL`);
    const response = await this.fetchImpl(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: message.text, response_type: message.ephemeral === false ? 'in_channel' : 'ephemeral', replace_original: message.replaceOriginal ?? false }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) throw new Error(`Slack response_url answered HTTP ${response.status}`);
  }
}
