/** One notice: the partition every delivery record of it hangs off. */
export interface NoticeRef {
  readonly incidentId: string;
  readonly noticeId: string;
}

export const DELIVERY_STATUSES = ['sending', 'retry', 'sent', 'delivered', 'bounced', 'complained', 'failed', 'unknown'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The proof that one person was told, once: the idempotency key (a hash of notice id and address), the line
 * in the uploaded list, a masked address, the provider's message id and what the provider reported.
 * The address itself lives only in the encrypted, expiring list.
 */
export interface DeliveryRecord {
  readonly key: string;
  readonly line: number;
  readonly channel: 'email' | 'sms' | 'letter';
  readonly maskedAddress: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly leaseUntil?: string;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly eventAt?: string;
  readonly lastError?: string;
}

export interface DeliveryProgress {
  readonly sent: number;
  readonly delivered: number;
  readonly bounced: number;
  readonly complained: number;
  readonly failed: number;
  /** Sends whose outcome is unknown (a crash between send and record): parked for review, never re-sent. */
  readonly parked: number;
  /** The same address again in the list: collapsed, not sent twice. */
  readonly duplicates: number;
}

export type ClaimOutcome =
  | { readonly outcome: 'claimed'; readonly attempts: number }
  | { readonly outcome: 'done' }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'busy' }
  | { readonly outcome: 'parked' };

/** Port for per-recipient deliveries: claim before send, record after, count exactly once. */
export interface DeliveryStore {
  /**
   * Claims the send of one recipient. 'done' when it was sent (or given up) before; 'duplicate' when another
   * line of the list has the same address; 'busy' while another worker holds a live lease; 'parked' when an
   * earlier attempt may have sent without recording (lease expired while sending): never sent again.
   */
  claim(ref: NoticeRef, key: string, entry: { line: number; channel: 'email' | 'sms' | 'letter'; maskedAddress: string }, now: Date, leaseMs: number): Promise<ClaimOutcome>;
  markSent(ref: NoticeRef, key: string, messageId: string, now: Date): Promise<void>;
  /** The outcome of a send is unknown (it may have gone out): parked for review, counted as parked, never re-sent. */
  park(ref: NoticeRef, key: string, why: string, now: Date): Promise<void>;
  /** The provider refused before accepting (nothing sent): the claim is released for a later attempt. */
  release(ref: NoticeRef, key: string, error: string, now: Date): Promise<void>;
  /** A permanent failure (rejected address, unverified sender): parked for review, counted as failed. */
  markFailed(ref: NoticeRef, key: string, error: string, now: Date): Promise<void>;
  /**
   * Records a provider event (delivery, bounce, complaint) on its recipient: found by the message id recorded
   * at send, else by the message's tags (a parked send, whose id was never recorded); false when neither is ours.
   */
  recordEvent(messageId: string, type: 'delivered' | 'bounced' | 'complained', at: Date, detail: string | undefined, tagged?: { ref: NoticeRef; key: string }): Promise<boolean>;
  progress(ref: NoticeRef): Promise<DeliveryProgress>;
  listDeliveries(ref: NoticeRef, options?: { statuses?: readonly DeliveryStatus[]; limit?: number }): Promise<DeliveryRecord[]>;
}
