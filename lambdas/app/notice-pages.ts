import { createHash, randomBytes } from 'node:crypto';
import { noticePageGone, noticePageHtml, NOTICE_PAGE_HEADERS } from '../domain/notices/notice-page.js';
import type { Clock } from '../ports/clock.js';
import type { NoticeRef } from '../ports/delivery-store.js';
import type { NoticeLinkStore } from '../ports/notice-pages.js';
import type { NoticeStore } from '../ports/notice-store.js';

/** Private links to a person's copy of a notice (issue 26.5). */
export interface NoticePageDeps {
  readonly links: NoticeLinkStore;
  readonly notices: Pick<NoticeStore, 'getNotice'>;
  readonly clock: Clock;
  /** Where the page is served, e.g. https://breach.example/n (the API's URL on AWS, the local stack's locally). */
  readonly baseUrl: string;
  /** How long a link works (NOTICE_LINK_DAYS, default 90). */
  readonly linkDays: number;
}

/** 32 random bytes (256 bits), base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Issues a new private link for one person and one approved version: the token goes into the SMS, only its
 * hash is stored. Each call makes a new token (a retried send gets a new link; an earlier one keeps working
 * until it expires).
 */
export async function issueNoticeLink(deps: NoticePageDeps, ref: NoticeRef, version: number, recipientKey: string): Promise<{ url: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.linkDays * 86_400_000).toISOString();
  await deps.links.put(tokenHash(token), { ...ref, version, recipientKey, createdAt: now.toISOString(), expiresAt });
  return { url: `${deps.baseUrl.replace(/\/+$/, '')}/${token}`, expiresAt };
}

export interface PageAnswer {
  readonly statusCode: 200 | 404 | 410;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The page behind a token: the approved content of the version the link was issued for. The token is looked
 * up by its SHA-256 (one keyed read, no comparison of the secret in code); a malformed token is a 404 without
 * a read, an unknown one a 404, an expired one, or one whose notice was withdrawn or re-approved since, a 410.
 */
export async function noticePage(deps: Pick<NoticePageDeps, 'links' | 'notices' | 'clock'>, token: string): Promise<PageAnswer> {
  const gone = (statusCode: 404 | 410): PageAnswer => ({ statusCode, headers: NOTICE_PAGE_HEADERS, body: noticePageGone(statusCode) });
  if (!TOKEN.test(token)) return gone(404);
  const link = await deps.links.get(tokenHash(token));
  if (!link) return gone(404);
  if (Date.parse(link.expiresAt) <= deps.clock.now().getTime()) return gone(410);
  const notice = await deps.notices.getNotice(link.incidentId, link.noticeId);
  const approval = notice?.approval;
  if (!notice || !approval || notice.status === 'withdrawn' || approval.version !== link.version) return gone(410);
  return {
    statusCode: 200,
    headers: NOTICE_PAGE_HEADERS,
    body: noticePageHtml({ rendered: approval.rendered, contentHash: approval.contentHash, noticeId: notice.noticeId, version: approval.version, language: notice.language }),
  };
}
