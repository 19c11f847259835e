import { SlackMessageGoneError } from '../lambdas/ports/slack-api.js';
import type { SlackBlocksMessage, SlackMessageRef, SlackWebApi } from '../lambdas/ports/slack-api.js';

export interface RecordedSlackMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks?: readonly unknown[];
  readonly threadTs?: string;
  updates: number;
  deleted: boolean;
}

/**
 * The local stack's Slack workspace: keeps every message the bot posts or updates, every modal it opens and
 * every response_url answer, so the live message and its buttons can be watched and tested without Slack.
 */
export class RecordingSlackWebApi implements SlackWebApi {
  readonly messages: RecordedSlackMessage[] = [];
  readonly views: { triggerId: string; view: unknown }[] = [];
  readonly responses: { responseUrl: string; text: string; ephemeral: boolean }[] = [];
  private counter = 0;

  constructor(private readonly clock: { now(): Date }) {}

  async postMessage(message: SlackBlocksMessage): Promise<SlackMessageRef> {
    const ts = `${Math.floor(this.clock.now().getTime() / 1000)}.${String(++this.counter).padStart(6, '0')}`;
    this.messages.push({ channel: message.channel, ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}), ...(message.threadTs ? { threadTs: message.threadTs } : {}), updates: 0, deleted: false });
    return { channel: message.channel, ts };
  }

  async updateMessage(ref: SlackMessageRef, message: { text: string; blocks?: readonly unknown[] }): Promise<void> {
    const found = this.messages.find((m) => m.channel === ref.channel && m.ts === ref.ts && !m.deleted);
    if (!found) throw new SlackMessageGoneError(ref, 'message_not_found');
    found.text = message.text;
    if (message.blocks) found.blocks = message.blocks;
    found.updates++;
  }

  async deleteMessage(ref: SlackMessageRef): Promise<void> {
    const found = this.messages.find((m) => m.channel === ref.channel && m.ts === ref.ts);
    if (found) found.deleted = true;
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    this.views.push({ triggerId, view });
  }

  async respond(responseUrl: string, message: { text: string; ephemeral?: boolean }): Promise<void> {
    this.responses.push({ responseUrl, text: message.text, ephemeral: message.ephemeral !== false });
  }
}
