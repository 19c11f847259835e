import * as z from '../../domain/zod-mini.js';
import { listLetters, readLetter } from '../../app/letters.js';
import { errorResponses, ok } from '../../contracts/openapi.js';
import { decodePathSegment, HttpError, json } from '../../shared/http.js';
import { NOTICE_ID, NOTICE_INCIDENT_ID, route, type AnyApiRoute, type ApiHandlerDeps, type PathParam } from './route.js';

/** A letter's file name: its recipient key (a hash, no address) or the batch. */
const LETTER_NAME: PathParam = {
  schema: z.string().check(z.regex(/^(?:[a-f0-9]{40}|batch)\.pdf$/)),
  parse: (segment) => {
    const name = decodePathSegment(segment, 'letter');
    if (!/^(?:[a-f0-9]{40}|batch)\.pdf$/.test(name)) throw new HttpError(400, 'invalid_request', 'The letter in the path is not valid', [{ path: 'name', message: 'a recipient key with .pdf, or batch.pdf' }]);
    return name;
  },
};

const letterStore = (deps: ApiHandlerDeps) => {
  if (!deps.letters) throw new HttpError(404, 'not_found', 'Letters are not configured on this deployment');
  return deps.letters;
};

/** The letters of a notice (issue 26.5): listed with their hashes (view), each PDF opened by a DPO or legal (a name and an address). */
export const LETTER_ROUTES: readonly AnyApiRoute[] = [
  route({
    method: 'GET',
    path: '/api/incidents/{id}/notices/{noticeId}/letters',
    params: { id: NOTICE_INCIDENT_ID, noticeId: NOTICE_ID },
    permission: 'view',
    doc: { summary: "A notice's letters: each PDF's name (the recipient key), SHA-256 and size, and the print-ready batch file", responses: { ...ok('{ letters: [{ name, sha256, bytes }], batch? }'), 403: errorResponses[403] } },
    handle: async ({ params }, deps) => {
      const listing = await listLetters(letterStore(deps), { incidentId: params.id!, noticeId: params.noticeId! });
      const shown = (l: { name: string; sha256: string; bytes: number }) => ({ name: l.name, sha256: l.sha256, bytes: l.bytes });
      return json(200, { letters: listing.letters.map(shown), ...(listing.batch ? { batch: shown(listing.batch) } : {}) });
    },
  }),
  route({
    method: 'GET',
    path: '/api/incidents/{id}/notices/{noticeId}/letters/{name}',
    params: { id: NOTICE_INCIDENT_ID, noticeId: NOTICE_ID, name: LETTER_NAME },
    permission: 'view-evidence',
    doc: { summary: 'One letter (or batch.pdf) as application/pdf: holds a name and a postal address (DPO, legal)', responses: { 200: { description: 'application/pdf' }, 403: errorResponses[403], 404: errorResponses[404] } },
    handle: async ({ params }, deps) => {
      const pdf = await readLetter(letterStore(deps), { incidentId: params.id!, noticeId: params.noticeId! }, params.name!);
      if (!pdf) throw new HttpError(404, 'not_found', `No letter ${params.name} on notice ${params.noticeId}`);
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${params.noticeId}-${params.name}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
        isBase64Encoded: true,
        body: Buffer.from(pdf).toString('base64'),
      };
    },
  }),
];
