import { resolve } from 'node:path';

// Handlers log JSON for CloudWatch; locally only warnings and errors unless asked (set before the logger loads).
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
// Metrics are CloudWatch EMF log lines; nobody reads them locally.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const { startLocalStack, LOCAL_SLACK_ROLES } = await import('./local-stack.js');
const { DataDirLockedError } = await import('./data-dir-lock.js');
const { PortClashError, PortInUseError } = await import('./port-check.js');

const { startNumber, StartConfigurationError } = await import('./start-numbers.js');

const dataDir = resolve(process.env.BREACHCLOCK_DATA_DIR ?? '.data');
// The numbers first: a typo stops here with one line, before anything starts.
const numbers = (() => {
  try {
    return {
      port: startNumber(process.env, 'PORT'),
      dynamoPort: startNumber(process.env, 'DYNAMODB_PORT'),
      sesPort: startNumber(process.env, 'SES_PORT'),
      clockIntervalMs: startNumber(process.env, 'CLOCK_INTERVAL_MS'),
      sendChunkSize: startNumber(process.env, 'SEND_CHUNK_SIZE'),
      outboxLeaseMs: startNumber(process.env, 'OUTBOX_LEASE_MS'),
      sendVisibilityTimeoutMs: startNumber(process.env, 'SEND_VISIBILITY_TIMEOUT_MS'),
    };
  } catch (error) {
    if (!(error instanceof StartConfigurationError)) throw error;
    console.error(`[breachclock] ${error.message}`);
    process.exit(2);
  }
})();
const { port } = numbers;

const stack = await startLocalStack({
  dataDir,
  port,
  dynamoPort: numbers.dynamoPort,
  sesPort: numbers.sesPort,
  // Another SES v2 endpoint (e.g. an aws-ses-v2-local started apart) instead of the built-in emulator.
  ...(process.env.SES_ENDPOINT ? { sesEndpoint: process.env.SES_ENDPOINT } : {}),
  ...(numbers.sendChunkSize !== undefined ? { sendChunkSize: numbers.sendChunkSize } : {}),
  ...(numbers.outboxLeaseMs !== undefined ? { outboxLeaseMs: numbers.outboxLeaseMs } : {}),
  ...(numbers.sendVisibilityTimeoutMs !== undefined ? { sendVisibilityTimeoutMs: numbers.sendVisibilityTimeoutMs } : {}),
  clockIntervalMs: numbers.clockIntervalMs,
  ...(process.env.SLACK_WEBHOOK_URL ? { slackWebhookUrl: process.env.SLACK_WEBHOOK_URL } : {}),
  ...(process.env.ESCALATION_LADDER ? { escalationLadder: process.env.ESCALATION_LADDER } : {}),
  env: {
    ROUTING_RULES: process.env.ROUTING_RULES,
    TASK_TEMPLATES: process.env.TASK_TEMPLATES,
    SENTRY_CLIENT_SECRETS: process.env.SENTRY_CLIENT_SECRETS,
    PAGERDUTY_ROUTING_KEYS: process.env.PAGERDUTY_ROUTING_KEYS,
    PAGERDUTY_WEBHOOK_SECRETS: process.env.PAGERDUTY_WEBHOOK_SECRETS,
    SNS_LOCAL_SIGNING_CERT: process.env.SNS_LOCAL_SIGNING_CERT,
    STORM_CAP: process.env.STORM_CAP,
    TOOL_TIME_WINDOW: process.env.TOOL_TIME_WINDOW,
    STORM_WINDOW: process.env.STORM_WINDOW,
    SNS_ALLOWED_TOPIC_ARNS: process.env.SNS_ALLOWED_TOPIC_ARNS,
    // Narrow by default (issue 11.9): anyone is a responder; two named demo users hold the DPO roles, so the
    // four-eyes steps can be shown. A real workspace (SLACK_WEBHOOK_URL) never makes everyone a DPO.
    SLACK_ROLES: process.env.SLACK_ROLES ?? JSON.stringify(LOCAL_SLACK_ROLES),
    SLACK_CHANNEL: process.env.SLACK_CHANNEL,
    ALERT_RETENTION_DAYS: process.env.ALERT_RETENTION_DAYS,
    ORGANISATION: process.env.ORGANISATION,
    NOTICE_FROM_EMAIL: process.env.NOTICE_FROM_EMAIL,
    SES_SEND_RATE: process.env.SES_SEND_RATE,
    RECIPIENT_LIST_RETENTION_DAYS: process.env.RECIPIENT_LIST_RETENTION_DAYS,
    MAX_ALERT_BYTES: process.env.MAX_ALERT_BYTES,
  },
  log: (line) => console.log(`[breachclock] ${line}`),
}).catch((error: unknown) => {
  // A second `npm start` on the same data directory, or a taken port: one line saying what to do (issue 25.5).
  if (error instanceof DataDirLockedError || error instanceof PortInUseError || error instanceof PortClashError) {
    console.error(`[breachclock] ${error.message}`);
    process.exit(2);
  }
  throw error;
});

const now = new Date(stack.clock.now().getTime() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
console.log(`
breachclock local stack is running
  HTTP API         ${stack.url}           (POST /alerts/generic, GET /api/incidents, ...)
  dashboard        ${stack.url}/dashboard (the compliance desk: sign in with the API token, apiToken in the file below)
  DynamoDB Local   ${stack.dynamoEndpoint}   (data in ${dataDir}/dynamodb, kept across restarts)
  virtual time     ${stack.clock.now().toISOString()} (offset ${Math.round(stack.clock.offset / 60_000)} min)
  deliveries       ${stack.url}/local/deliveries  (every Slack post and SNS publish; also ${dataDir}/deliveries.jsonl)
  Slack (local)    ${stack.url}/local/slack       (the live incident messages, modals and answers of the local Slack app)
                   /slack/actions and /slack/commands verify requests signed with the Slack signing secret
                   (SLACK_ROLES maps Slack users to roles; locally everyone is a responder, U0LOCALDPO1 and U0LOCALDPO2 are DPOs)
  Slack webhook    ${process.env.SLACK_WEBHOOK_URL ? 'posting to SLACK_WEBHOOK_URL as well' : 'not configured (set SLACK_WEBHOOK_URL to post for real)'}
  email (SES v2)   ${stack.ses.url}   (${process.env.SES_ENDPOINT ? 'SES_ENDPOINT' : 'local SES emulator'}: open it in a browser to read every notice email sent; kept in ${dataDir}/ses-emails.jsonl)
  SMS              ${stack.url}/local/sms   (recorded, never sent)

  tokens           the ingest token, the API token and the Slack signing secret are in
                   ${dataDir}/local-settings.json (mode 0600; not printed, so they stay out of terminal logs)

Send a first alert:
  TOKEN=$(node -p "require('${dataDir}/local-settings.json').ingestToken")
  curl -sS -X POST ${stack.url}/alerts/generic \\
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"title":"Bulk export from customers table","severity":"high","fingerprint":"db-prod/customers/export","occurredAt":"${now}"}'

Then:  npx breachclock list            (open incidents with their GDPR clock; it finds the API token itself)
       npx breachclock advance 24h     (move virtual time; escalations fire within one tick)
       npx breachclock deliveries      (what reached Slack and SNS)
       open ${stack.url}/dashboard (the compliance desk; sign in with the API token, apiToken in ${dataDir}/local-settings.json)
Stop with Ctrl-C; nothing is lost.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[breachclock] stopping (DynamoDB Local flushes to disk)...');
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
