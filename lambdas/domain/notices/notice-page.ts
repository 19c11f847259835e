import { createHash } from 'node:crypto';
import type { RenderedNotice } from './draft.js';

/**
 * The page a person without email reaches from the SMS's private link (issue 26.5): exactly the approved
 * content (the HTML whose hash the approval bound, already escaped when it was rendered; the plain text,
 * escaped here, when the pack has no HTML), the content hash, and nothing else: no script, no image, no link
 * out, so a strict Content-Security-Policy holds.
 */
const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}pre{white-space:pre-wrap;font:inherit}footer{margin-top:2rem;font-size:.8rem;color:#555;word-break:break-all}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Headers of every answer of the page route: never cached or indexed, no referrer, nothing but the one inline style. */
export const NOTICE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
};

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function noticePageHtml(input: { readonly rendered: RenderedNotice; readonly contentHash: string; readonly noticeId: string; readonly version: number; readonly language: string }): string {
  const body = input.rendered.html ?? `<pre>${escape(input.rendered.text)}</pre>`;
  return `<!doctype html><html lang="${escape(input.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escape(input.rendered.subject)}</title><style>${STYLE}</style></head><body><main>${body}</main><footer>${escape(input.noticeId)} · version ${input.version} · SHA-256 of the approved content: ${escape(input.contentHash)}</footer></body></html>`;
}

/** The plain answer for a link that is unknown (404) or expired or withdrawn (410): no detail, the same for every token. */
export function noticePageGone(status: 404 | 410): string {
  const message = status === 404 ? 'This link is not valid. Please check that you copied the whole link.' : 'This link has expired. Please contact the organisation that sent it to you for a copy of the notice.';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Notice</title><style>${STYLE}</style></head><body><main><p>${message}</p></main></body></html>`;
}
