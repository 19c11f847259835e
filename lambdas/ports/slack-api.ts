/** The Slack Web API calls breachclock makes (bot token). Adapters: HTTPS, and a recorder for the local stack. */
export interface SlackBlocksMessage {
  readonly channel: string;
  /** Fallback text for notifications and clients without blocks. */
  readonly text: string;
  readonly blocks?: readonly unknown[];
  readonly threadTs?: string;
  readonly replyBroadcast?: boolean;
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
}

/** chat.update on a message that no longer exists (deleted by someone, or a workspace that lost it). */
export class SlackMessageGoneError extends Error {
  constructor(readonly ref: SlackMessageRef, detail: string) {
    super(`The Slack message ${ref.channel}/${ref.ts} is gone (${detail})`);
    this.name = 'SlackMessageGoneError';
  }
}
