import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client.js';
import { DynamoIncidentStore } from '../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { AttachBatcher } from '../lambdas/app/attach-batcher.js';
import { FingerprintCache } from '../lambdas/app/fingerprint-cache.js';
import type { SweepReport } from '../lambdas/app/sweep-due-timers.js';
import { parseDuration } from '../lambdas/domain/duration.js';
import { makeApiHandler } from '../lambdas/handlers/api.handler.js';
import { makeDispatchHandler } from '../lambdas/handlers/dispatch-outbox.handler.js';
import { makeIngestHandler } from '../lambdas/handlers/ingest-alert.handler.js';
import { messageContextFor } from '../lambdas/handlers/runtime.js';
import { makeSweepHandler } from '../lambdas/handlers/sweep-due-timers.handler.js';
import { randomIds } from '../lambdas/adapters/random-ids.js';
import { loadConfig } from '../lambdas/shared/config.js';
import { bearerToken, errorBody, json, matchesAnySecret, type HttpEvent, type HttpResult } from '../lambdas/shared/http.js';
import { toApiGatewayEvent } from './api-gateway-event.js';
import { ensureTable, localDynamoClient, startDynamoLocal, type DynamoLocal } from './dynamo-local.js';
import { RecordingSender } from './recording-sender.js';
import { RecordingSlackWebApi } from './recording-slack-api.js';
import { LiveSlackSender } from '../lambdas/adapters/delivery/live-slack-sender.js';
import { runSlackJob, type SlackDeps } from '../lambdas/app/slack-interactions.js';
import { makeSlackHandler } from '../lambdas/handlers/slack.handler.js';
import { StreamPoller } from './stream-poller.js';
import { VirtualClock } from './virtual-clock.js';

export interface LocalStackOptions {
  /** Where DynamoDB Local's data, tokens, virtual time and recorded deliveries live. */
  readonly dataDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly dynamoPort?: number;
  readonly clockIntervalMs?: number;
  readonly streamIntervalMs?: number;
  readonly slackWebhookUrl?: string;
  readonly escalationLadder?: string;
  /** More configuration (docs/configuration.md): ROUTING_RULES, SENTRY_CLIENT_SECRETS, PAGERDUTY_ROUTING_KEYS, SNS_ALLOWED_TOPIC_ARNS … */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

export interface LocalStack {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly ingestToken: string;
  readonly apiToken: string;
  readonly slackSigningSecret: string;
  readonly clock: VirtualClock;
  readonly sender: RecordingSender;
  /** The local Slack workspace: the live messages, modals and ephemeral answers. */
  readonly slack: RecordingSlackWebApi;
  /** Runs one clock tick now (the interval does this on its own). */
  sweep(): Promise<SweepReport>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'breachclock-local';
const MAX_REQUEST_BYTES = 1_048_576;

interface LocalSettings {
  readonly ingestToken: string;
  readonly apiToken: string;
  readonly slackSigningSecret: string;
}

/** Tokens are generated on first start and kept in the data directory (override with env vars). */
function loadSettings(dataDir: string): LocalSettings {
  const file = join(dataDir, 'local-settings.json');
  let saved: Partial<LocalSettings> = {};
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSettings>;
  } catch {
    // first start
  }
  const settings: LocalSettings = {
    ingestToken: process.env.BREACHCLOCK_INGEST_TOKEN ?? saved.ingestToken ?? `ingest-${randomBytes(12).toString('hex')}`,
    apiToken: process.env.BREACHCLOCK_API_TOKEN ?? saved.apiToken ?? `api-${randomBytes(12).toString('hex')}`,
    slackSigningSecret: process.env.SLACK_SIGNING_SECRET ?? saved.slackSigningSecret ?? randomBytes(16).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(settings, null, 2), { mode: 0o600 });
  return settings;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_REQUEST_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: HttpResult): void {
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  response.end(result.body ?? '');
}

const localContext = (): Context => ({ awsRequestId: randomBytes(8).toString('hex'), functionName: 'local' }) as Context;

/**
 * The local stack: DynamoDB Local, the same Lambda handlers behind an HTTP server that speaks API Gateway
 * v2 events, the clock handler on an interval, the dispatcher fed from DynamoDB Local's stream, and local
 * delivery adapters. Nothing here re-implements AWS; only the event plumbing is local.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  mkdirSync(options.dataDir, { recursive: true });
  const settings = loadSettings(options.dataDir);
  const dynamo: DynamoLocal = await startDynamoLocal({ dbPath: join(options.dataDir, 'dynamodb'), ...(options.dynamoPort ? { port: options.dynamoPort } : {}) });
  const admin = localDynamoClient(dynamo.endpoint);
  await ensureTable(admin, TABLE_NAME);
  admin.destroy();

  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;

  const config = loadConfig({
    ...options.env,
    TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    API_AUTH: 'token',
    API_TOKENS: settings.apiToken,
    INGEST_TOKENS: settings.ingestToken,
    PUBLIC_BASE_URL: `${url}/api`,
    ...(options.escalationLadder ? { ESCALATION_LADDER: options.escalationLadder } : {}),
  });
  const clock = new VirtualClock(join(options.dataDir, 'virtual-clock.json'));
  const store = new DynamoIncidentStore(createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' }), TABLE_NAME);
  const messageContext = messageContextFor(config);
  const slackApi = new RecordingSlackWebApi(clock);
  const slackChannel = config.slackChannel ?? 'C0LOCALBREACH';
  const liveSlack = new LiveSlackSender({ web: slackApi, channel: slackChannel, store, clock, messageContext });
  const sender = new RecordingSender(join(options.dataDir, 'deliveries.jsonl'), clock, options.slackWebhookUrl, liveSlack);
  const dispatch = { outbox: store, sender, clock };

  const ingest = makeIngestHandler({
    ingest: { store, clock, ids: randomIds, ladder: config.ladder, routing: config.routing, messageContext, fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store) },
    credentials: async () => ({
      tokens: config.ingestTokens,
      sentryClientSecrets: config.sentryClientSecrets,
      pagerdutyRoutingKeys: config.pagerdutyRoutingKeys,
    }),
    maxBodyBytes: config.maxAlertBytes,
    snsAllowedTopicArns: config.snsAllowedTopicArns,
  });
  const api = makeApiHandler({ store, clock, ladder: config.ladder, messageContext, auth: { mode: 'token', tokens: config.apiTokens } });
  const sweepHandler = makeSweepHandler({ store, clock, ladder: config.ladder, messageContext, dispatch });
  const dispatchHandler = makeDispatchHandler(dispatch);
  const slackDeps: SlackDeps = {
    store,
    clock,
    ladder: config.ladder,
    messageContext,
    roles: config.slackRoles,
    web: slackApi,
    once: (key) => store.rememberOnce(key, 86_400, clock.now()),
    // Locally the job runs in this process right after the answer (on AWS: an asynchronous invocation).
    enqueue: async (job) => {
      setImmediate(() => void runSlackJob(slackDeps, job).catch((error: unknown) => log(`slack job failed: ${(error as Error).message}`)));
    },
  };
  const slackHandler = makeSlackHandler({ ...slackDeps, signingSecrets: async () => [settings.slackSigningSecret, ...config.slackSigningSecrets] });

  let sweeping: Promise<SweepReport> | undefined;
  const sweep = (): Promise<SweepReport> => {
    // One tick at a time, as one scheduled invocation per minute on AWS (a concurrent one would be harmless).
    sweeping ??= (sweepHandler(undefined, localContext()) as Promise<SweepReport>).finally(() => (sweeping = undefined));
    return sweeping;
  };

  const local = async (request: IncomingMessage, path: string, body: Buffer): Promise<HttpResult> => {
    const event = toApiGatewayEvent({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, routeKey: 'local' });
    if (!matchesAnySecret(bearerToken(event), config.apiTokens)) {
      return json(401, errorBody('unauthorized', 'The local endpoints need the API token'));
    }
    const ok = (value: unknown): HttpResult => json(200, value);
    if (path === '/local/deliveries' && request.method === 'GET') return ok({ deliveries: sender.list() });
    if (path === '/local/slack' && request.method === 'GET') return ok({ channel: slackChannel, messages: slackApi.messages, views: slackApi.views, responses: slackApi.responses });
    if (path === '/local/clock' && request.method === 'GET') return ok({ now: clock.now().toISOString(), offsetMs: clock.offset });
    if (path === '/local/clock/advance' && request.method === 'POST') {
      let by: string;
      try {
        by = String((JSON.parse(body.toString('utf8') || '{}') as { by?: unknown }).by ?? '');
        const ms = parseDuration(by, 'by');
        clock.advance(ms);
      } catch (error) {
        return json(400, errorBody('invalid_request', (error as Error).message, [{ path: 'by', message: 'e.g. {"by":"24h"}' }]));
      }
      const report = await sweep();
      return ok({ now: clock.now().toISOString(), offsetMs: clock.offset, advancedBy: by, sweep: report });
    }
    return json(404, errorBody('not_found', `No local route ${request.method} ${path}`));
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const path = new URL(request.url ?? '/', url).pathname;
      const body = await readBody(request);
      if (body === 'too-large') {
        return send(response, json(413, errorBody('body_too_large', `Requests are limited to ${MAX_REQUEST_BYTES} bytes`)));
      }
      const base = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, ...(body.byteLength ? { body } : {}) };
      const alert = /^\/alerts\/([^/]+)\/?$/.exec(path);
      let result: HttpResult;
      if (path === '/healthz') result = json(200, { ok: true, now: clock.now().toISOString() });
      else if (alert && request.method === 'POST') {
        result = await ingest(toApiGatewayEvent({ ...base, routeKey: 'POST /alerts/{source}', pathParameters: { source: decodeURIComponent(alert[1]!) } }) as HttpEvent, localContext());
      } else if ((path === '/slack/commands' || path === '/slack/actions') && request.method === 'POST') {
        result = await slackHandler(toApiGatewayEvent({ ...base, routeKey: `POST ${path}` }) as HttpEvent, localContext());
      } else if (path === '/api' || path.startsWith('/api/')) {
        result = await api(toApiGatewayEvent({ ...base, routeKey: 'ANY /api/{proxy+}' }) as HttpEvent, localContext());
      } else if (path.startsWith('/local/')) result = await local(request, path, body);
      else result = json(404, errorBody('not_found', `No route ${request.method} ${path}; see docs/api.md`));
      send(response, result);
    })().catch((error: unknown) => {
      log(`request failed: ${(error as Error).name}`);
      if (!response.headersSent) send(response, json(500, errorBody('internal_error', 'Internal error')));
    });
  });

  const poller = new StreamPoller({
    endpoint: dynamo.endpoint,
    tableName: TABLE_NAME,
    checkpointFile: join(options.dataDir, 'stream-checkpoints.json'),
    intervalMs: options.streamIntervalMs ?? 200,
    consume: (event) => dispatchHandler(event, localContext()),
    onError: (error) => log(`stream poll failed: ${(error as Error).message}`),
  });
  poller.start();
  const clockTimer = setInterval(() => {
    sweep().then(
      (report) => {
        if (report.due) log(`clock: ${report.fired} fired, ${report.skipped} skipped, ${report.redriven} re-driven, ${report.errors} errors`);
      },
      (error: unknown) => log(`clock tick failed: ${(error as Error).message}`),
    );
  }, options.clockIntervalMs ?? 2_000);

  return {
    url,
    dynamoEndpoint: dynamo.endpoint,
    ingestToken: settings.ingestToken,
    apiToken: settings.apiToken,
    slackSigningSecret: settings.slackSigningSecret,
    clock,
    sender,
    slack: slackApi,
    sweep,
    stop: async () => {
      clearInterval(clockTimer);
      poller.stop();
      await sweeping?.catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dynamo.stop();
    },
  };
}
