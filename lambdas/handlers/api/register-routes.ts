import { buildRegister, registerCsv } from '../../app/register.js';
import { errorResponses } from '../../contracts/openapi.js';
import { registerQuerySchema } from '../../contracts/register-api.js';
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
    handle: async ({ query: q, now }, deps) => {
      const to = new Date(q.to ?? now).toISOString();
      const from = new Date(q.from ?? Date.parse(to) - 366 * 86_400_000).toISOString();
      if (from >= to) throw new HttpError(400, 'invalid_request', 'from must be before to', [{ path: 'from', message: 'after to' }]);
      const register = await buildRegister({ store: deps.store, ...(deps.notices ? { notices: deps.notices.notices } : {}), clock: deps.clock }, { from, to, limit: 5_000, ...(q.regime ? { regime: q.regime } : {}), ...(q.outcome ? { outcome: q.outcome } : {}) });
      logger.info('register exported', { entries: register.entries.length, format: q.format });
      if (q.format === 'csv') {
        return {
          statusCode: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="breach-register-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`, ...(register.truncated ? { 'x-truncated': 'true' } : {}) },
          body: registerCsv(register.entries),
        };
      }
      return json(200, { from, to, generatedAt: now.toISOString(), truncated: register.truncated, entries: register.entries });
    },
  }),
];
