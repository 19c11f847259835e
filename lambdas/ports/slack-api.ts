/** The Slack Web API calls breachclock makes (bot token). Adapters: HTTPS, and a recorder for the local stack. */
export interface SlackBlocksMessage {
  readonly channel: string;
  /** Fallback text for notifications and clients without blocks. */
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly threadTs?: string;
  readonly replyBroadcast?: boolean;
  /** Slack message metadata (`event_type`, `event_payload`): how a post is found again (see `findPosted`). */
  readonly metadata?: { readonly eventType: string; readonly payload: Readonly<Record<string, string>> };
}

/** A post to look for by its metadata: in a channel's history, or in one thread's replies. */
export interface PostedQuery {
  readonly channel: string;
  readonly threadTs?: string;
  readonly eventType: string;
  readonly key: string;
  readonly value: string;
  /** Slack `ts` (seconds since the epoch) to look back to. */
  readonly oldest?: string;
}

export interface SlackMessageRef {
  readonly channel: string;
  readonly ts: string;
}

export interface SlackWebApi {
  postMessage(message: SlackBlocksMessage): Promise<SlackMessageRef>;
  updateMessage(ref: SlackMessageRef, message: Omit<SlackBlocksMessage, 'channel' | 'threadTs' | 'replyBroadcast'>): Promise<void>;
  deleteMessage(ref: SlackMessageRef): Promise<void>;
  openView(triggerId: string, view: unknown): Promise<void>;
  /** Answers an interaction through its response_url (ephemeral by default). */
  respond(responseUrl: string, message: { text: string; ephemeral?: boolean; replaceOriginal?: boolean }): Promise<void>;
  /**
   * The bot's post carrying this metadata, if Slack has it (conversations.history / conversations.replies with
   * include_all_metadata): how an attempt whose outcome was lost (a crash between the post and its record) is
   * confirmed instead of posted twice. Undefined when not found; throws when Slack cannot be asked.
   */
  findPosted?(query: PostedQuery): Promise<SlackMessageRef | undefined>;
}

/** chat.update on a message that no longer exists (deleted by someone, or a workspace that lost it). */
export class SlackMessageGoneError extends Error {
  constructor(readonly ref: SlackMessageRef, detail: string) {
    super(`The Slack message ${ref.channel}/${ref.ts} is gone (${detail})`);
    this.name = 'SlackMessageGoneError';
  }
}
