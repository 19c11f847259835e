import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SlackMessageGoneError } from '../lambdas/ports/slack-api.js';
import type { PostedQuery, SlackBlocksMessage, SlackMessageRef, SlackWebApi } from '../lambdas/ports/slack-api.js';

export interface RecordedSlackMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks?: readonly unknown[];
  readonly threadTs?: string;
  readonly metadata?: { readonly eventType: string; readonly payload: Readonly<Record<string, string>> };
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

  /**
   * With `file`, the workspace is kept in the data directory (written after every change, read at start), so
   * a restart keeps the live messages the incidents point to.
   */
  constructor(
    private readonly clock: { now(): Date },
    private readonly file?: string,
  ) {
    if (!file || !existsSync(file)) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { messages?: RecordedSlackMessage[]; views?: RecordingSlackWebApi['views']; responses?: RecordingSlackWebApi['responses']; counter?: number };
      this.messages.push(...(saved.messages ?? []));
      this.views.push(...(saved.views ?? []));
      this.responses.push(...(saved.responses ?? []));
      this.counter = saved.counter ?? this.messages.length;
    } catch {
      // A damaged file: start with an empty workspace (the live messages are posted again when needed).
    }
  }

  private save(): void {
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ messages: this.messages, views: this.views.slice(-200), responses: this.responses.slice(-500), counter: this.counter }));
    renameSync(temporary, this.file);
  }

  async postMessage(message: SlackBlocksMessage): Promise<SlackMessageRef> {
    const ts = `${Math.floor(this.clock.now().getTime() / 1000)}.${String(++this.counter).padStart(6, '0')}`;
    this.messages.push({ channel: message.channel, ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}), ...(message.threadTs ? { threadTs: message.threadTs } : {}), ...(message.metadata ? { metadata: message.metadata } : {}), updates: 0, deleted: false });
    this.save();
    return { channel: message.channel, ts };
  }

  /** As Slack's history and replies with metadata: the workspace's (not deleted) post in that channel or thread. */
  async findPosted(query: PostedQuery): Promise<SlackMessageRef | undefined> {
    const found = this.messages.find(
      (m) => !m.deleted && m.channel === query.channel && (query.threadTs === undefined || m.threadTs === query.threadTs || m.ts === query.threadTs) && m.metadata?.eventType === query.eventType && m.metadata.payload[query.key] === query.value,
    );
    return found ? { channel: found.channel, ts: found.ts } : undefined;
  }

  async updateMessage(ref: SlackMessageRef, message: { text: string; blocks?: readonly unknown[] }): Promise<void> {
    const found = this.messages.find((m) => m.channel === ref.channel && m.ts === ref.ts && !m.deleted);
    if (!found) throw new SlackMessageGoneError(ref, 'message_not_found');
    found.text = message.text;
    if (message.blocks) found.blocks = message.blocks;
    found.updates++;
    this.save();
  }

  async deleteMessage(ref: SlackMessageRef): Promise<void> {
    const found = this.messages.find((m) => m.channel === ref.channel && m.ts === ref.ts);
    if (found) found.deleted = true;
    this.save();
  }

  async openView(triggerId: string, view: unknown): Promise<void> {
    this.views.push({ triggerId, view });
    this.save();
  }

  async respond(responseUrl: string, message: { text: string; ephemeral?: boolean }): Promise<void> {
    this.responses.push({ responseUrl, text: message.text, ephemeral: message.ephemeral !== false });
    this.save();
  }
}
