import * as z from '../../domain/zod-mini.js';
import { noticePage } from '../../app/notice-pages.js';
import { noticePageGone, NOTICE_PAGE_HEADERS } from '../../domain/notices/notice-page.js';
import { route, type AnyApiRoute, type PathParam } from './route.js';

/** The token of a private link: read as it is; a malformed one gets the same plain 404 page as an unknown one. */
const TOKEN: PathParam = {
  schema: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  parse: (segment) => segment,
};

/**
 * The notice page (issue 26.5): the whole approved notice for a person who got an SMS instead of an email,
 * behind an unguessable, expiring, per-recipient link. No credentials: the token is the key (API Gateway
 * throttles the route; docs/notices.md).
 */
export const NOTICE_PAGE_ROUTES: readonly AnyApiRoute[] = [
  route({
    method: 'GET',
    path: '/n/{token}',
    params: { token: TOKEN },
    permission: 'public',
    public: true,
    doc: {
      summary: "A person's copy of an approved notice behind their private link (from the SMS): the approved content and its hash; no-store, no-referrer, a strict CSP",
      responses: { 200: { description: 'HTML: the approved notice' }, 404: { description: 'HTML: no such link' }, 410: { description: 'HTML: the link expired (NOTICE_LINK_DAYS) or the notice was withdrawn' } },
    },
    handle: async ({ params }, deps) => {
      if (!deps.noticeLinks || !deps.notices) return { statusCode: 404, headers: { ...NOTICE_PAGE_HEADERS }, body: noticePageGone(404) };
      const page = await noticePage({ links: deps.noticeLinks, notices: deps.notices.notices, clock: deps.clock }, params.token!);
      return { statusCode: page.statusCode, headers: { ...page.headers }, body: page.body };
    },
  }),
];
