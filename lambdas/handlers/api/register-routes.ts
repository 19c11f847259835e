import { buildRegister, registerCsv } from '../../app/register.js';
import type { RegisterAnswer } from '../../contracts/api-answers.js';
import { errorResponses } from '../../contracts/openapi.js';
import { REGISTER_MAX_YEARS, registerQuerySchema } from '../../contracts/register-api.js';
import { HttpError, json } from '../../shared/http.js';
import { logger } from '../../shared/logger.js';
import { route } from './route.js';

/** GET /api/register */
export const REGISTER_ROUTES = [
  route({
    method: 'GET',
    path: '/api/register',
    permission: 'view',
    query: { schema: registerQuerySchema, what: 'register query' },
    doc: {
      summary: 'The Art. 33(5) register of every breach of a period, as JSON or CSV',
      responses: { 200: { description: 'JSON { from, to, entries, truncated }, or text/csv', content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } }, ...errorResponses },
    },
    handle: async ({ query: q, now, deadline }, deps) => {
      const toMs = Date.parse(q.to ?? now.toISOString());
      const fromMs = q.from === undefined ? toMs - 366 * 86_400_000 : Date.parse(q.from);
      if (fromMs >= toMs) throw new HttpError(400, 'invalid_request', 'from must be before to', [{ path: 'from', message: 'after to' }]);
      // One query per month of the period: at most REGISTER_MAX_YEARS years (issue 27.5: to=9999-12-31 ran ~96,000).
      const earliest = new Date(toMs);
      earliest.setUTCFullYear(earliest.getUTCFullYear() - REGISTER_MAX_YEARS);
      if (fromMs < earliest.getTime()) {
        const years = ((toMs - fromMs) / (365.25 * 86_400_000)).toFixed(1);
        throw new HttpError(400, 'period_too_long', `The period from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} is ${years} years; the limit is ${REGISTER_MAX_YEARS} years per request (query.from, query.to): ask for shorter periods`, [
          { path: 'from', message: `at most ${REGISTER_MAX_YEARS} years before to` },
        ]);
      }
      const from = new Date(fromMs).toISOString();
      const to = new Date(toMs).toISOString();
      // Nothing is detected in the future: the reads end at now (an end of 9999-12-31 reads no month past it).
      const readToMs = Math.min(toMs, now.getTime() + 86_400_000);
      const readTo = new Date(readToMs).toISOString();
      const register =
        readToMs > fromMs
          ? await buildRegister({ store: deps.store, ...(deps.notices ? { notices: deps.notices.notices } : {}), clock: deps.clock }, { from, to: readTo, limit: 5_000, ...(deadline !== undefined ? { deadline } : {}), ...(q.regime ? { regime: q.regime } : {}), ...(q.outcome ? { outcome: q.outcome } : {}) })
          : { entries: [], truncated: false, stoppedAtDeadline: false };
      if (register.stoppedAtDeadline) logger.warn('register stopped at the request deadline', { entries: register.entries.length });
      logger.info('register exported', { entries: register.entries.length, format: q.format });
      if (q.format === 'csv') {
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="breach-register-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`, ...(register.truncated ? { 'x-truncated': 'true' } : {}) },
          body: await registerCsv(register.entries),
        };
      }
      return json(200, { from, to, generatedAt: now.toISOString(), truncated: register.truncated, ...(register.stoppedAtDeadline ? { stoppedAtDeadline: true as const } : {}), entries: register.entries } satisfies RegisterAnswer);
    },
  }),
];
