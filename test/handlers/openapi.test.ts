import { Validator } from '@seriousme/openapi-schema-validator';
import type { DynamoIncidentStore } from '../../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { ingestAlert } from '../../lambdas/app/ingest-alert.js';
import { apiDocument } from '../../lambdas/handlers/api/routes.js';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { DEFAULT_ROUTING } from '../../lambdas/domain/routing.js';
import { makeApiHandler } from '../../lambdas/handlers/api.handler.js';
import { freshTable } from '../support/dynamo.js';
import { FakeClock, sequentialIds } from '../support/fakes.js';
import { T0 } from '../support/fixtures.js';
import { httpEvent, lambdaContext, parse } from '../support/http-events.js';

describe('OpenAPI 3.1 document', () => {
  const { document, routes } = apiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(document) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes request bodies with the very schemas the handlers validate with', () => {
    const schemas = (document.components as { schemas: Record<string, { oneOf?: { properties: { action: { const: string } } }[] }> }).schemas;
    const actions = schemas.IncidentAction!.oneOf!.map((variant) => variant.properties.action.const);
    expect(actions).toEqual(expect.arrayContaining(['acknowledge', 'record-facts', 'record-submission', 'confirm-regime', 'dismiss-regime']));
    expect(schemas.NoticeAction!.oneOf!.map((v) => v.properties.action.const)).toEqual(['edit', 'accept-suggestion', 'approve', 'send', 'record-submission', 'withdraw']);
  });

  it('documents only routes the API serves, and the API serves each documented /api route', async () => {
    const { store } = (await freshTable()) as { store: DynamoIncidentStore };
    const clock = new FakeClock(T0);
    await ingestAlert({ store, clock, ids: sequentialIds(), ladder: DEFAULT_LADDER, routing: DEFAULT_ROUTING }, { source: 'generic', fingerprint: 'f', title: 'x', severity: 'high', observedAt: T0.toISOString() });
    const api = makeApiHandler({ store, clock, ladder: DEFAULT_LADDER, auth: { mode: 'token', tokens: ['t'] } });
    for (const route of routes.filter((r) => r.path.startsWith('/api/'))) {
      const path = route.path.replace('{id}', 'INC-T-1').replace('{noticeId}', 'NTC-gdpr-authority-00000000');
      const result = await api(httpEvent(route.method.toUpperCase(), path, { headers: { authorization: 'Bearer t' } }), lambdaContext);
      const error = result.statusCode! >= 400 ? parse(result).error : undefined;
      // Served: anything but "no such route" or "method not allowed" (notices are not configured here: 404 says so).
      expect([route, error?.code === 'not_found' && /No route/.test(error.message)]).toEqual([route, false]);
      expect([route, result.statusCode]).not.toEqual([route, 405]);
    }
  });
});
