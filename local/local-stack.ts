import { randomBytes } from 'node:crypto';
import { ChannelRouter } from '../lambdas/adapters/delivery/channel-router.js';
import { anchorOpenTrails, trailAnchorSender } from '../lambdas/app/trail-anchoring.js';
import { localTrailAnchoring } from './trail-anchors.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { SnsMessageVerifier } from '../lambdas/adapters/sns-message-verifier.js';
import { DynamoAlertBatchQueue } from '../lambdas/adapters/dynamo/dynamo-alert-batch-queue.js';
import { makeIngestBatchHandler } from '../lambdas/handlers/ingest-batch.handler.js';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client.js';
import { DynamoIncidentStore } from '../lambdas/adapters/dynamo/dynamo-incident-store.js';
import { AttachBatcher } from '../lambdas/app/attach-batcher.js';
import { FingerprintCache } from '../lambdas/app/fingerprint-cache.js';
import type { SweepReport } from '../lambdas/app/sweep-due-timers.js';
import { parseDuration } from '../lambdas/domain/duration.js';
import { makeApiHandler } from '../lambdas/handlers/api.handler.js';
import { dashboardResponse, type DeskFiles } from '../lambdas/handlers/dashboard.handler.js';
import { buildDesk } from '../lib/desk-bundle.js';
import { routingFor } from '../lambdas/handlers/ingest-runtime.js';
import { makeDispatchHandler } from '../lambdas/handlers/dispatch-outbox.handler.js';
import { makeIngestHandler } from '../lambdas/handlers/ingest-alert.handler.js';
import { messageContextFor } from '../lambdas/handlers/runtime.js';
import { noteRepostWith, noteUnconfirmedWith } from '../lambdas/handlers/delivery-runtime.js';
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
import { DynamoDeliveryStore } from '../lambdas/adapters/dynamo/dynamo-delivery-store.js';
import { DynamoNoticeStore } from '../lambdas/adapters/dynamo/dynamo-notice-store.js';
import { DynamoNoticeLinkStore } from '../lambdas/adapters/dynamo/dynamo-notice-link-store.js';
import { PdfLetterRenderer } from '../lambdas/adapters/letters/pdf-letter-renderer.js';
import { EncryptedFileLetterStore } from './encrypted-file-letter-store.js';
import { RenderingLetterWriter } from '../lambdas/app/letters.js';
import { SesEmailSender } from '../lambdas/adapters/notices/ses-email-sender.js';
import { TokenBucket } from '../lambdas/adapters/notices/token-bucket.js';
import { recordProviderEvent, sendChunk, type NoticeDeliveryDeps } from '../lambdas/app/notices.js';
import { makePlanNoticeSendsHandler } from '../lambdas/handlers/plan-notice-sends.handler.js';
import { MAX_UPLOAD_BYTES } from '../lambdas/handlers/api/notice-routes.js';
import { EncryptedFileListStore, ObjectExistsError } from './encrypted-file-list-store.js';
import { DurableSendQueue, ensureSendQueueTable } from './durable-send-queue.js';
import { InProcessDuePageQueue } from './in-process-due-page-queue.js';
import { connectSes, startLocalSes, type LocalSes } from './local-ses.js';
import { RecordingSmsSender } from './recording-sms-sender.js';
import { VirtualClock } from './virtual-clock.js';
import { lockDataDir, STACK_FILE_NAME } from './data-dir-lock.js';
import { asPortError, checkPorts, type PortNeed } from './port-check.js';

/** How long the local stack keeps an idle keep-alive connection open (ms). */
export const KEEP_ALIVE_MS = 65_000;

export interface LocalStackOptions {
  /** Where DynamoDB Local's data, tokens, virtual time and recorded deliveries live. */
  readonly dataDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly dynamoPort?: number;
  /** The local SES v2 emulator's port (0: any free port). */
  readonly sesPort?: number;
  readonly clockIntervalMs?: number;
  readonly streamIntervalMs?: number;
  readonly slackWebhookUrl?: string;
  readonly escalationLadder?: string;
  /** Recipients per send-queue message (default 100, as on AWS). */
  readonly sendChunkSize?: number;
  /**
   * How long the dispatcher's claim on an outbox message holds (real time; default 60 s, as on AWS) before the
   * clock's re-drive may take a message whose attempt was cut off (a kill -9 mid-send).
   */
  readonly outboxLeaseMs?: number;
  /** The send queue's visibility timeout (default 180 s; 900 s on AWS). */
  readonly sendVisibilityTimeoutMs?: number;
  /** An SES v2 endpoint to send notices to instead of the built-in emulator (SES_ENDPOINT). */
  readonly sesEndpoint?: string;
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
  /** The local SES v2 emulator: every notice email is captured there (its web page lists them). */
  readonly ses: LocalSes;
  readonly sms: RecordingSmsSender;
  /** The local SQS send queue: durable (its own table in DynamoDB Local), with visibility timeout, redelivery and a dead-letter queue. */
  readonly sendQueue: DurableSendQueue;
  /** The desk's files as this stack serves them (its script bundled by esbuild when the stack started). */
  readonly deskFiles: DeskFiles;
  /** Runs one clock tick now (the interval does this on its own). */
  sweep(): Promise<SweepReport>;
  stop(): Promise<void>;
}

const TABLE_NAME = 'breachclock-local';
const MAX_REQUEST_BYTES = 1_048_576;
/** Uploads of recipient lists may be larger (the API's own limit applies). */
const MAX_UPLOAD_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1;

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

/**
 * The body, 'too-large' past the limit, or 'aborted' when the client went away or Node's parser refused the
 * request mid-body (it answers those itself: 400, 413, 431): not a failure of ours, so not logged as one.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > limit ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', () => resolve('aborted'));
    request.on('close', () => {
      if (!request.complete) resolve('aborted');
    });
  });
}

function send(response: ServerResponse, result: HttpResult): void {
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
  response.end(result.isBase64Encoded && result.body ? Buffer.from(result.body, 'base64') : (result.body ?? ''));
}

/** The local stack's Slack roles unless SLACK_ROLES is set: everyone a responder, two demo DPOs (four eyes). */
export const LOCAL_SLACK_ROLES = { users: { U0LOCALDPO1: ['dpo'], U0LOCALDPO2: ['dpo'] }, defaultRoles: ['responder'] } as const;

const localContext = (): Context => ({ awsRequestId: randomBytes(8).toString('hex'), functionName: 'local' }) as Context;

/**
 * The local stack: DynamoDB Local, the same Lambda handlers behind an HTTP server that speaks API Gateway
 * v2 events, the clock handler on an interval, the dispatcher fed from DynamoDB Local's stream, and local
 * delivery adapters. Nothing here re-implements AWS; only the event plumbing is local.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  // The desk's script, from its TypeScript modules (lib/desk-bundle.ts): built before anything starts, so a
  // desk that does not build stops here.
  const deskFiles = await buildDesk();
  mkdirSync(options.dataDir, { recursive: true });
  // Before anything starts (issue 25.5): one stack per data directory, and every port free.
  const lock = lockDataDir(options.dataDir);
  const apiPort: PortNeed = { what: 'the HTTP API', port: options.port ?? 3000, variable: 'PORT', host: options.host ?? '127.0.0.1' };
  await checkPorts([apiPort, { what: 'DynamoDB Local', port: options.dynamoPort ?? 0, variable: 'DYNAMODB_PORT' }, { what: 'the local SES emulator', port: options.sesPort ?? 0, variable: 'SES_PORT', host: '127.0.0.1' }]).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const settings = loadSettings(options.dataDir);
  const dynamo: DynamoLocal = await startDynamoLocal({ dbPath: join(options.dataDir, 'dynamodb'), ...(options.dynamoPort ? { port: options.dynamoPort } : {}) });
  const admin = localDynamoClient(dynamo.endpoint);
  await ensureTable(admin, TABLE_NAME);
  await ensureSendQueueTable(admin);
  admin.destroy();

  const host = options.host ?? '127.0.0.1';
  // An idle keep-alive connection is kept longer than its clients keep it between requests: Node's default (5 s)
  // closed connections Alertmanager reused for its next notification (repeat_interval 4 s), and the POST met a
  // reset ("Notify attempt failed ... connection reset by peer"; test/e2e/keep-alive.e2e.test.ts).
  const server: Server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(asPortError(error, apiPort)));
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;
  // Where this stack answers, for the CLI in another terminal (issue 25.3: no `export PORT` in every terminal).
  const stackFile = join(options.dataDir, STACK_FILE_NAME);
  writeFileSync(stackFile, `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o600 });

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
  if (clock.recovered) log(clock.recovered);
  const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
  const store = new DynamoIncidentStore(doc, TABLE_NAME);
  const messageContext = messageContextFor(config);
  const slackApi = new RecordingSlackWebApi(clock, join(options.dataDir, 'slack-workspace.json'));
  const slackChannel = config.slackChannel ?? 'C0LOCALBREACH';
  const liveSlack = new LiveSlackSender({ web: slackApi, channel: slackChannel, store, clock, messageContext });
  const sender = new RecordingSender(join(options.dataDir, 'deliveries.jsonl'), clock, options.slackWebhookUrl, liveSlack);
  // The trail's anchors: an Ed25519 key file and an append-only file (AWS: KMS and S3 Object Lock).
  const anchoring = localTrailAnchoring(options.dataDir);
  const anchorDeps = { reader: store, signer: anchoring.signer, log: anchoring.log };
  const trailAnchors = { log: anchoring.log, verifier: anchoring.signer.verifier() };
  const dispatch = {
    outbox: store,
    sender: new ChannelRouter({ slack: sender, sns: sender, 'trail-anchor': trailAnchorSender(anchorDeps) }),
    clock,
    noteRepost: noteRepostWith({ store, clock, ladder: config.ladder, messageContext }),
    noteUnconfirmed: noteUnconfirmedWith({ store, clock, ladder: config.ladder, messageContext }),
    ...(options.outboxLeaseMs ? { leaseMs: options.outboxLeaseMs } : {}),
    // Slack's ~1 post a second per channel, as on AWS, when a real Slack webhook receives the posts; the
    // recorded workspace alone takes every post (the local tests read each escalation's own message).
    ...(options.slackWebhookUrl ? { slackPacing: store } : {}),
  };

  const alertBatches = new DynamoAlertBatchQueue(doc, TABLE_NAME);
  const ingestDeps = { store, clock, ids: randomIds, ladder: config.ladder, tasks: config.tasks, routing: await routingFor(config), toolTimeWindowMs: config.toolTimeWindowMs, ...(config.storm ? { storm: config.storm } : {}), messageContext, fingerprints: new FingerprintCache(), batcher: new AttachBatcher(store) };
  const localSnsCert = options.env?.SNS_LOCAL_SIGNING_CERT;
  const snsConfirmations: { subscribeUrl: string; at: string }[] = [];
  const ingest = makeIngestHandler({
    ingest: ingestDeps,
    credentials: async () => ({
      tokens: config.ingestTokens,
      sentryClientSecrets: config.sentryClientSecrets,
      pagerdutyRoutingKeys: config.pagerdutyRoutingKeys,
      pagerdutyWebhookSecrets: config.pagerdutyWebhookSecrets,
    }),
    maxBodyBytes: config.maxAlertBytes,
    snsAllowedTopicArns: config.snsAllowedTopicArns,
    // Large groups are persisted and placed from the table's stream, as on AWS.
    batches: alertBatches,
    // Local only (never on AWS): trust a locally generated SNS signing certificate, so a signed subscription
    // confirmation and alarm notification can go through the whole CloudWatch path without AWS. The
    // confirmation's SubscribeURL is recorded (GET /local/sns), not visited.
    ...(localSnsCert
      ? {
          snsVerifier: new SnsMessageVerifier(async () => readFileSync(localSnsCert, 'utf8')),
          confirmSubscription: async (subscribeUrl: string) => {
            snsConfirmations.push({ subscribeUrl, at: clock.now().toISOString() });
          },
        }
      : {}),
  });
  // Notices: the same app code as on AWS, with the local SES v2 emulator, an encrypted list directory, an
  // send queue kept in DynamoDB Local and recorded SMS. Planning starts from the table's stream, as on AWS.
  const ses = options.sesEndpoint ? connectSes(options.sesEndpoint, { dataDir: options.dataDir }) : await startLocalSes({ port: options.sesPort ?? 0, dataDir: options.dataDir });
  const lists = await EncryptedFileListStore.create(join(options.dataDir, 'recipient-lists'));
  lists.uploadBase = url;
  const sms = new RecordingSmsSender(join(options.dataDir, 'sms.jsonl'), clock);
  const sendQueue = new DurableSendQueue({
    doc,
    keyFile: join(options.dataDir, 'send-queue.key'),
    clock,
    concurrency: config.notices.sendConcurrency,
    ...(options.sendVisibilityTimeoutMs ? { visibilityTimeoutMs: options.sendVisibilityTimeoutMs } : {}),
    log,
    // The dead-letter queue's alarm (on AWS: SendFailuresAlarm to the operators' topic): GET /local/send-queue lists them.
    onDeadLetter: (dead) => log(`ALARM SendFailuresAlarm: notice sends were given up on after retries: some people were not told (notice ${dead.noticeId}, chunk ${dead.index}; GET /local/send-queue)`),
  });
  // The notice page behind the SMS's private links (GET /n/{token}), served by this server as by the API on AWS.
  const noticeLinks = new DynamoNoticeLinkStore(doc, TABLE_NAME);
  // Letters (issue 26.5): rendered by the sender, kept encrypted beside the lists, listed and opened through the API.
  const letters = await EncryptedFileLetterStore.create(join(options.dataDir, 'letters'), config.notices.listRetentionDays, clock);
  const noticeDeps: NoticeDeliveryDeps = {
    store,
    notices: new DynamoNoticeStore(doc, TABLE_NAME, store),
    deliveries: new DynamoDeliveryStore(doc, TABLE_NAME),
    clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext,
    organisation: config.organisation,
    lists,
    queue: sendQueue,
    planner: { start: async () => undefined },
    email: new SesEmailSender(ses.client, { from: config.notices.fromEmail ?? 'privacy@breachclock.local', ...(config.notices.configurationSet ? { configurationSet: config.notices.configurationSet } : {}) }),
    sms,
    rate: new TokenBucket(config.notices.sesSendRate),
    ...(options.sendChunkSize ? { chunkSize: options.sendChunkSize } : {}),
    listRetentionDays: config.notices.listRetentionDays,
    pages: { links: noticeLinks, baseUrl: config.notices.pageUrl ?? `${url}/n`, linkDays: config.notices.linkDays },
    letters: new RenderingLetterWriter(letters, new PdfLetterRenderer()),
  };
  sendQueue.consume((chunk) => sendChunk(noticeDeps, chunk));
  const planHandler = makePlanNoticeSendsHandler(noticeDeps);
  const api = makeApiHandler({ store, clock, ladder: config.ladder, tasks: config.tasks, messageContext, notices: noticeDeps, noticeLinks, letters, trailAnchors, auth: { mode: 'token', tokens: config.apiTokens } });
  // A burst of due items is handed out in pages to the same handler, as the sweep queue does on AWS (ADR
  // 0016); here in process, four pages at a time, and the tick answers once they are settled.
  const sweepPages = new InProcessDuePageQueue({ concurrency: 4, log });
  const sweepHandler = makeSweepHandler({ store, clock, ladder: config.ladder, messageContext, dispatch, fanOut: { queue: sweepPages } });
  sweepPages.consume((event) => sweepHandler(event, localContext()) as Promise<SQSBatchResponse>);
  const dispatchHandler = makeDispatchHandler(dispatch);
  const slackDeps: SlackDeps = {
    store,
    clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext,
    roles: config.slackRoles,
    web: slackApi,
    once: (key) => store.rememberOnce(key, 86_400, clock.now()),
    notices: noticeDeps,
    // Locally the job runs in this process right after the answer (on AWS: an asynchronous invocation).
    enqueue: async (job) => {
      setImmediate(() => void runSlackJob(slackDeps, job).catch((error: unknown) => log(`slack job failed: ${(error as Error).message}`)));
    },
  };
  const slackHandler = makeSlackHandler({ ...slackDeps, signingSecrets: async () => [settings.slackSigningSecret, ...config.slackSigningSecrets] });

  // Ticks run one at a time, in order, as one scheduled invocation per minute on AWS. A caller always gets a
  // tick that *started after* its call: `advance` must never be answered by a tick already in progress,
  // which read the clock before the time moved (it reported "fired: 0" now and then).
  let ticks: Promise<unknown> = Promise.resolve();
  let ticking = 0;
  const sweep = (): Promise<SweepReport> => {
    ticking++;
    const tick = ticks.catch(() => undefined).then(() => sweepHandler(undefined, localContext()) as Promise<SweepReport>);
    ticks = tick.finally(() => ticking--);
    return tick;
  };

  const local = async (request: IncomingMessage, path: string, body: Buffer): Promise<HttpResult> => {
    const event = toApiGatewayEvent({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, routeKey: 'local' });
    if (!matchesAnySecret(bearerToken(event), config.apiTokens)) {
      return json(401, errorBody('unauthorized', 'The local endpoints need the API token'));
    }
    const ok = (value: unknown): HttpResult => json(200, value);
    if (path === '/local/deliveries' && request.method === 'GET') return ok({ deliveries: sender.list() });
    if (path === '/local/ses' && request.method === 'GET') {
      const store = (await (await fetch(`${ses.url}/store`)).json()) as { emails: unknown[] };
      return ok({ emulator: ses.url, captured: store.emails.length, emails: store.emails });
    }
    if (path === '/local/send-queue' && request.method === 'GET') return ok({ ...(await sendQueue.depth()), deadLetters: await sendQueue.deadLetters() });
    if (path === '/local/sms' && request.method === 'GET') return ok({ sms: sms.sent });
    if (path === '/local/sns' && request.method === 'GET') return ok({ trustsLocalCertificate: Boolean(localSnsCert), confirmations: snsConfirmations });
    if (path === '/local/slack' && request.method === 'GET') return ok({ channel: slackChannel, messages: slackApi.messages, views: slackApi.views, responses: slackApi.responses });
    if (path === '/local/stream/parked' && request.method === 'GET') return ok({ parked: poller.parked() });
    if (path === '/local/stream/parked/replay' && request.method === 'POST') return ok(await poller.replayParked());
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
      let requestUrl: URL;
      try {
        requestUrl = new URL(request.url ?? '/', url);
        decodeURIComponent(requestUrl.pathname);
      } catch {
        return send(response, json(400, errorBody('invalid_request', 'The request target is not a valid URL path (malformed percent-encoding?)')));
      }
      if (request.url?.startsWith('//')) return send(response, json(400, errorBody('invalid_request', 'The request target must be a path starting with a single "/"')));
      const path = requestUrl.pathname;
      if (path === '/dashboard' || path.startsWith('/dashboard/')) return send(response, dashboardResponse(path, request.method ?? 'GET', { auth: 'token' }, deskFiles));
      if (path === '/local/uploads' && request.method === 'PUT') {
        // The local stand-in for a presigned S3 PUT: a signed, expiring URL; the body streams into the encrypted store.
        const objectKey = lists.verifyUpload(requestUrl.searchParams, new Date());
        if (!objectKey) return send(response, json(403, errorBody('forbidden', 'The upload URL is not valid or has expired; ask for a new one')));
        try {
          await lists.put(objectKey, request, new Date(clock.now().getTime() + config.notices.listRetentionDays * 86_400_000), { ifAbsent: true });
        } catch (error) {
          if (!(error instanceof ObjectExistsError)) throw error;
          // Like S3's If-None-Match: * on the presigned PUT: a used upload URL cannot overwrite the list.
          request.resume();
          return send(response, json(412, errorBody('precondition_failed', error.message)));
        }
        return send(response, json(200, { objectKey }));
      }
      const limit = path.endsWith('/recipients') ? MAX_UPLOAD_REQUEST_BYTES : path.startsWith('/alerts/') ? Math.max(MAX_REQUEST_BYTES, config.maxAlertBytes) + 1 : MAX_REQUEST_BYTES;
      const body = await readBody(request, limit);
      if (body === 'aborted') {
        if (!response.headersSent && response.writable) send(response, json(400, errorBody('invalid_request', 'The request body was cut off')));
        return;
      }
      if (body === 'too-large') {
        return send(response, json(413, errorBody('body_too_large', `Requests are limited to ${limit} bytes`)));
      }
      const base = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, ...(body.byteLength ? { body } : {}) };
      const alert = /^\/alerts\/([^/]+)\/?$/.exec(path);
      let result: HttpResult;
      if (path === '/healthz') result = json(200, { ok: true, now: clock.now().toISOString() });
      else if (alert && request.method === 'POST') {
        result = await ingest(toApiGatewayEvent({ ...base, routeKey: 'POST /alerts/{source}', pathParameters: { source: decodeURIComponent(alert[1]!) } }) as HttpEvent, localContext());
      } else if ((path === '/slack/commands' || path === '/slack/actions') && request.method === 'POST') {
        result = await slackHandler(toApiGatewayEvent({ ...base, routeKey: `POST ${path}` }) as HttpEvent, localContext());
      } else if (path === '/api' || path.startsWith('/api/') || path.startsWith('/n/')) {
        result = await api(toApiGatewayEvent({ ...base, routeKey: 'ANY /api/{proxy+}' }) as HttpEvent, localContext());
      } else if (path.startsWith('/local/')) result = await local(request, path, body);
      else result = json(404, errorBody('not_found', `No route ${request.method} ${path}; see docs/api.md`));
      send(response, result);
    })().catch((error: unknown) => {
      log(`request failed: ${(error as Error).name}`);
      if (!response.headersSent) send(response, json(500, errorBody('internal_error', 'Internal error')));
    });
  });

  const batchHandler = makeIngestBatchHandler({ ingest: ingestDeps, batches: alertBatches });
  const poller = new StreamPoller({
    endpoint: dynamo.endpoint,
    tableName: TABLE_NAME,
    checkpointFile: join(options.dataDir, 'stream-checkpoints.json'),
    // A record that keeps failing: GET /local/stream/parked shows them, POST /local/stream/parked/replay retries them.
    parkedFile: join(options.dataDir, 'parked-stream-records.jsonl'),
    intervalMs: options.streamIntervalMs ?? 200,
    consume: (event) => Promise.all([dispatchHandler(event, localContext()), planHandler(event, localContext()), batchHandler(event, localContext())]),
    onError: (error) => log(`stream poll failed: ${(error as Error).message}`),
  });
  poller.start();
  const clockTimer = setInterval(() => {
    // SES's event destination, locally: each captured email reported as delivered; expired lists deleted.
    ses.relay((event) => recordProviderEvent(noticeDeps, event)).catch((error: unknown) => log(`SES relay failed: ${(error as Error).message}`));
    lists.sweepExpired(clock.now()).catch((error: unknown) => log(`list expiry failed: ${(error as Error).message}`));
    letters.sweepExpired(clock.now()).catch((error: unknown) => log(`letter expiry failed: ${(error as Error).message}`));
    if (ticking) return; // the interval never queues behind a tick still running
    sweep().then(
      (report) => {
        if (report.due) log(`clock: ${report.fired} fired, ${report.skipped} skipped, ${report.redriven} re-driven, ${report.errors} errors`);
      },
      (error: unknown) => log(`clock tick failed: ${(error as Error).message}`),
    );
  }, options.clockIntervalMs ?? 2_000);
  // At least hourly (and once at start, after a crash): open incidents whose trail moved since their last anchor.
  const anchorOpen = () =>
    anchorOpenTrails(anchorDeps).then(
      (r) => r.anchored + r.failed > 0 && log(`trail anchors: ${r.anchored} anchored, ${r.failed} failed`),
      (error: unknown) => log(`trail anchoring failed: ${(error as Error).message}`),
    );
  void anchorOpen();
  const anchorTimer = setInterval(anchorOpen, 3_600_000);

  return {
    url,
    dynamoEndpoint: dynamo.endpoint,
    ingestToken: settings.ingestToken,
    apiToken: settings.apiToken,
    slackSigningSecret: settings.slackSigningSecret,
    clock,
    sender,
    slack: slackApi,
    ses,
    sms,
    sendQueue,
    deskFiles,
    sweep,
    stop: async () => {
      clearInterval(clockTimer);
      clearInterval(anchorTimer);
      poller.stop();
      // Let sends in flight finish (a stop mid-send would park them for review); the rest waits in the queue's table.
      await Promise.race([sendQueue.stop(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await ses.stop();
      await ticks.catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dynamo.stop();
      rmSync(stackFile, { force: true });
      lock.release();
    },
  };
}
