import * as z from '../domain/zod-mini.js';
import { DEFAULT_LADDER, parseLadder, type EscalationLadder } from '../domain/escalation-ladder.js';
import { ConfigurationError } from '../domain/errors.js';
import type { Organisation } from '../domain/notices/elements.js';
import { NO_ROLES, parseRoleMap, type RoleMap } from '../domain/roles.js';
import { parseDuration } from '../domain/duration.js';
import { DEFAULT_TOOL_TIME_WINDOW_MS } from '../domain/incident-record.js';
import { RULE_PACK_IDS } from '../domain/regimes/packs/ids.js';
import { defaultTaskTemplates, parseTaskTemplates, type TaskTemplates } from '../domain/tasks/templates.js';

const organisationSchema = z.strictObject({
  name: z.string().check(z.minLength(2), z.maxLength(200)),
  dpo: z.strictObject({ name: z.string().check(z.minLength(2), z.maxLength(200)), email: z.email(), phone: z.optional(z.string().check(z.maxLength(40))) }),
  website: z.optional(z.url()),
  postalAddress: z.optional(z.string().check(z.maxLength(300))),
});

const envSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** DynamoDB Local for the local stack; unset on AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  /** JSON of an escalation ladder; the default ladder of the brief when unset. */
  ESCALATION_LADDER: z.optional(z.string()),
  /** JSON of response-task templates (docs/tasks.md); the default templates when unset. */
  TASK_TEMPLATES: z.optional(z.string()),
  /** JSON routing rules (docs/sources.md); the defaults when unset. */
  ROUTING_RULES: z.optional(z.string()),
  /** Comma-separated: Sentry client secrets (HMAC), PagerDuty routing keys, SNS topics allowed to post. */
  SENTRY_CLIENT_SECRETS: z.optional(z.string()),
  PAGERDUTY_ROUTING_KEYS: z.optional(z.string()),
  PAGERDUTY_WEBHOOK_SECRETS: z.optional(z.string()),
  SNS_ALLOWED_TOPIC_ARNS: z.optional(z.string()),
  /** "true": refuse SNS messages signed with SignatureVersion 1 (RSA-SHA1); set the topics' SignatureVersion to 2 first. */
  /** The officers' user pool: a Slack user linked to an account acts with its groups (the Slack function). */
  USER_POOL_ID: z.optional(z.string()),
  SNS_REQUIRE_SIGNATURE_V2: z.optional(z.enum(['true', 'false'])),
  /** Set by Lambda: SNS certificates of any other region are refused. */
  AWS_REGION: z.optional(z.string()),
  /** Base URL people open incidents at (dashboard or API); used in messages. */
  PUBLIC_BASE_URL: z.optional(z.url()),
  /** Ingest bearer tokens: a Secrets Manager secret on AWS, or a comma-separated list locally. */
  INGEST_TOKENS_SECRET_ARN: z.optional(z.string()),
  INGEST_TOKENS: z.optional(z.string()),
  /** API authentication: "jwt" behind the HTTP API's JWT authorizer (AWS) or "token" (local stack). */
  API_AUTH: z._default(z.enum(['jwt', 'token']), 'jwt'),
  API_TOKENS: z.optional(z.string()),
  /** JSON map of logical SNS topics to ARNs, e.g. {"dpo":"arn:aws:sns:..."}. */
  SNS_TOPIC_ARNS: z.optional(z.string()),
  SLACK_WEBHOOK_SECRET_ARN: z.optional(z.string()),
  SLACK_WEBHOOK_URL: z.optional(z.url()),
  /** Local stack (on AWS these live in the Slack secret): bot token, channel, signing secrets. */
  SLACK_BOT_TOKEN: z.optional(z.string()),
  SLACK_CHANNEL: z.optional(z.string()),
  SLACK_SIGNING_SECRETS: z.optional(z.string()),
  /** JSON: {"users":{"U024BE7LH":["dpo"]},"defaultRoles":["responder"]} (docs/slack.md). */
  SLACK_ROLES: z.optional(z.string()),
  /** The Slack workspace (team) and app whose requests are answered (issue 24.5); or "teamId"/"appId" in SLACK_ROLES. */
  SLACK_TEAM_ID: z.optional(z.string().check(z.regex(/^T[A-Z0-9]{2,20}$/, 'a Slack team (workspace) id such as T0123ABCD'))),
  SLACK_APP_ID: z.optional(z.string().check(z.regex(/^A[A-Z0-9]{2,20}$/, 'a Slack app id such as A0123ABCD'))),
  ALERT_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 400),
  /** How old a tool's own detection time may be and still start the clock (e.g. "7d"; default 7 days). */
  TOOL_TIME_WINDOW: z.optional(z.string()),
  /** Storm protection: incidents one routing rule may open per STORM_WINDOW (default 20 per 10m); 0 turns it off. */
  STORM_CAP: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(100_000)), 20),
  STORM_WINDOW: z._default(z.string(), '10m'),
  /**
   * Body limit of /alerts/*: 1 MiB by default, so a group of 1,000 Alertmanager alerts (about 300 kB) fits;
   * at most 5 MiB (Lambda's synchronous payload limit is 6 MB, API Gateway's 10 MB).
   */
  MAX_ALERT_BYTES: z._default(z.coerce.number().check(z.int(), z.gte(1024), z.lte(5 * 1_048_576)), 1_048_576),
  /** JSON: who notices come from and the DPO contact point (Art. 33(3)(b)), see docs/notices.md. */
  ORGANISATION: z.optional(z.string()),
  /** Notices: the verified SES sender, its configuration set (event destination), and the send rate. */
  NOTICE_FROM_EMAIL: z.optional(z.email()),
  NOTICE_REPLY_TO: z.optional(z.email()),
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** The account's SES maximum send rate (messages per second), shared by all concurrent senders. */
  SES_SEND_RATE: z._default(z.coerce.number().check(z.positive(), z.lte(10_000)), 14),
  /** Concurrent senders (the SQS event source's maximum concurrency on AWS): each takes rate / concurrency. */
  SEND_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 2),
  SES_ENDPOINT: z.optional(z.url()),
  SMS_SENDER_ID: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,11}$/))),
  RECIPIENT_BUCKET: z.optional(z.string()),
  RECIPIENT_KMS_KEY_ARN: z.optional(z.string()),
  SEND_QUEUE_URL: z.optional(z.url()),
  /** The clock's sweep queue (ADR 0016): set, a burst of due items is handed out to workers in pages. */
  SWEEP_QUEUE_URL: z.optional(z.url()),
  /** Where the notice page is served, for the SMS's private links: the API's URL with /n (e.g. https://abc.execute-api.eu-central-1.amazonaws.com/n). */
  NOTICE_PAGE_URL: z.optional(z.url()),
  /** Days a private link to the notice page works (issue 26.5). */
  NOTICE_LINK_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(730)), 90),
  /** Days an uploaded list of affected people is kept before it is deleted. */
  RECIPIENT_LIST_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(365)), 30),
  /** The audit trail's anchors: the Object Lock bucket and the asymmetric KMS key that signs them (both or neither). */
  TRAIL_ANCHOR_BUCKET: z.optional(z.string()),
  TRAIL_SIGNING_KEY_ARN: z.optional(z.string()),
});

/** Used where ORGANISATION is unset (the local stack): obviously a placeholder in every draft. */
export const PLACEHOLDER_ORGANISATION: Organisation = {
  name: 'Example Shop Ltd (set ORGANISATION)',
  dpo: { name: 'Data Protection Officer', email: 'dpo@example.com' },
  placeholder: true,
};

export interface SlackWorkspace {
  readonly teamId: string;
  readonly appId?: string;
}

export interface Config {
  readonly tableName: string;
  readonly dynamoEndpoint?: string;
  readonly ladder: EscalationLadder;
  readonly tasks: TaskTemplates;
  /**
   * The routing rules' JSON (ROUTING_RULES), undefined for the defaults. Parsed and compiled by the ingest
   * functions only (ingest-runtime.ts): the linear-time regular-expression engine stays out of other bundles.
   */
  readonly routingRules: unknown;
  readonly sentryClientSecrets: readonly string[];
  readonly pagerdutyRoutingKeys: readonly string[];
  readonly pagerdutyWebhookSecrets: readonly string[];
  readonly snsAllowedTopicArns: readonly string[];
  /** How SNS messages to /alerts/cloudwatch are verified: the deployment's region, and whether version 1 is refused. */
  readonly userPoolId?: string;
  readonly snsVerification: { readonly region?: string; readonly requireSignatureVersion2: boolean };
  readonly publicBaseUrl?: string;
  readonly ingestTokensSecretArn?: string;
  readonly ingestTokens: readonly string[];
  readonly apiAuth: 'jwt' | 'token';
  readonly apiTokens: readonly string[];
  readonly snsTopicArns: Readonly<Record<string, string>>;
  readonly slackWebhookSecretArn?: string;
  readonly slackWebhookUrl?: string;
  readonly slackBotToken?: string;
  readonly slackChannel?: string;
  readonly slackSigningSecrets: readonly string[];
  readonly slackRoles: RoleMap;
  /** The only Slack team (and app, when set) whose requests are answered; undefined when not configured. */
  readonly slackWorkspace?: SlackWorkspace;
  readonly alertRetentionDays: number;
  readonly toolTimeWindowMs: number;
  /** Undefined when STORM_CAP is 0. */
  readonly storm?: { readonly cap: number; readonly windowMs: number };
  readonly maxAlertBytes: number;
  readonly organisation: Organisation;
  readonly notices: {
    readonly fromEmail?: string;
    readonly replyTo?: string;
    readonly configurationSet?: string;
    readonly sesSendRate: number;
    readonly sendConcurrency: number;
    readonly sesEndpoint?: string;
    readonly smsSenderId?: string;
    readonly recipientBucket?: string;
    readonly recipientKmsKeyArn?: string;
    readonly sendQueueUrl?: string;
    readonly listRetentionDays: number;
    readonly pageUrl?: string;
    readonly linkDays: number;
  };
  /** Where the trail's signed anchors go (AWS); unset, the trail is checked against itself only. */
  readonly trailAnchors?: { readonly bucket: string; readonly signingKeyArn: string };
  /** The clock's sweep queue (AWS): a burst of due items is fanned out to the clock function's workers (ADR 0016). */
  readonly sweepQueueUrl?: string;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function stormWindow(value: string): number {
  try {
    const ms = parseDuration(value, 'STORM_WINDOW');
    if (ms < 60_000 || ms > 86_400_000) throw new Error('between 1m and 24h');
    return ms;
  } catch (error) {
    throw new ConfigurationError('Invalid environment', [`STORM_WINDOW: ${(error as Error).message} (a duration such as 10m, between 1m and 24h)`]);
  }
}

function toolTimeWindow(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TOOL_TIME_WINDOW_MS;
  try {
    const ms = parseDuration(value);
    if (ms < 3_600_000 || ms > 366 * 86_400_000) throw new Error('between 1h and 366d');
    return ms;
  } catch (error) {
    throw new ConfigurationError('Invalid environment', [`TOOL_TIME_WINDOW: ${(error as Error).message} (a duration such as 7d, between 1h and 366d)`]);
  }
}

/** Validates the environment once at cold start; a bad value stops the function with every problem named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError('Invalid environment', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  if (Boolean(parsed.data.TRAIL_ANCHOR_BUCKET) !== Boolean(parsed.data.TRAIL_SIGNING_KEY_ARN)) {
    throw new ConfigurationError('Invalid environment', ['TRAIL_ANCHOR_BUCKET, TRAIL_SIGNING_KEY_ARN: set both (anchors are signed and stored) or neither']);
  }

  const e = parsed.data;
  let ladder = DEFAULT_LADDER;
  if (e.ESCALATION_LADDER) ladder = parseLadder(parseJson(e.ESCALATION_LADDER, 'ESCALATION_LADDER'));
  const tasks = e.TASK_TEMPLATES ? parseTaskTemplates(parseJson(e.TASK_TEMPLATES, 'TASK_TEMPLATES'), RULE_PACK_IDS) : defaultTaskTemplates();
  const routingRules: unknown = e.ROUTING_RULES ? parseJson(e.ROUTING_RULES, 'ROUTING_RULES') : undefined;
  let snsTopicArns: Record<string, string> = {};
  if (e.SNS_TOPIC_ARNS) {
    const topics = z.record(z.string(), z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'must be an SNS topic ARN'))).safeParse(parseJson(e.SNS_TOPIC_ARNS, 'SNS_TOPIC_ARNS'));
    if (!topics.success) throw new ConfigurationError('SNS_TOPIC_ARNS is not a JSON map of topic names to SNS ARNs', topics.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
    snsTopicArns = topics.data;
  }
  if (e.API_AUTH === 'token' && list(e.API_TOKENS).length === 0) {
    throw new ConfigurationError('API_AUTH=token needs API_TOKENS (comma-separated)');
  }
  const slackRoles = e.SLACK_ROLES ? parseRoleMap(parseJson(e.SLACK_ROLES, 'SLACK_ROLES')) : NO_ROLES;
  const slackWorkspace = slackWorkspaceFrom(e.SLACK_TEAM_ID, e.SLACK_APP_ID, slackRoles);
  let organisation = PLACEHOLDER_ORGANISATION;
  if (e.ORGANISATION) {
    const parsedOrg = organisationSchema.safeParse(parseJson(e.ORGANISATION, 'ORGANISATION'));
    if (!parsedOrg.success) throw new ConfigurationError('ORGANISATION is not a valid organisation profile', parsedOrg.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    organisation = parsedOrg.data;
  }
  return {
    tableName: e.TABLE_NAME,
    organisation,
    notices: {
      sesSendRate: e.SES_SEND_RATE,
      sendConcurrency: e.SEND_CONCURRENCY,
      listRetentionDays: e.RECIPIENT_LIST_RETENTION_DAYS,
      linkDays: e.NOTICE_LINK_DAYS,
      ...(e.NOTICE_PAGE_URL ? { pageUrl: e.NOTICE_PAGE_URL } : {}),
      ...(e.NOTICE_FROM_EMAIL ? { fromEmail: e.NOTICE_FROM_EMAIL } : {}),
      ...(e.NOTICE_REPLY_TO ? { replyTo: e.NOTICE_REPLY_TO } : {}),
      ...(e.SES_CONFIGURATION_SET ? { configurationSet: e.SES_CONFIGURATION_SET } : {}),
      ...(e.SES_ENDPOINT ? { sesEndpoint: e.SES_ENDPOINT } : {}),
      ...(e.SMS_SENDER_ID ? { smsSenderId: e.SMS_SENDER_ID } : {}),
      ...(e.RECIPIENT_BUCKET ? { recipientBucket: e.RECIPIENT_BUCKET } : {}),
      ...(e.RECIPIENT_KMS_KEY_ARN ? { recipientKmsKeyArn: e.RECIPIENT_KMS_KEY_ARN } : {}),
      ...(e.SEND_QUEUE_URL ? { sendQueueUrl: e.SEND_QUEUE_URL } : {}),
    },
    ...(e.SWEEP_QUEUE_URL ? { sweepQueueUrl: e.SWEEP_QUEUE_URL } : {}),
    ...(e.TRAIL_ANCHOR_BUCKET && e.TRAIL_SIGNING_KEY_ARN ? { trailAnchors: { bucket: e.TRAIL_ANCHOR_BUCKET, signingKeyArn: e.TRAIL_SIGNING_KEY_ARN } } : {}),
    ladder,
    tasks,
    routingRules,
    ingestTokens: list(e.INGEST_TOKENS),
    sentryClientSecrets: list(e.SENTRY_CLIENT_SECRETS),
    pagerdutyRoutingKeys: list(e.PAGERDUTY_ROUTING_KEYS),
    pagerdutyWebhookSecrets: list(e.PAGERDUTY_WEBHOOK_SECRETS),
    snsAllowedTopicArns: list(e.SNS_ALLOWED_TOPIC_ARNS),
    ...(e.USER_POOL_ID ? { userPoolId: e.USER_POOL_ID } : {}),
    snsVerification: { ...(e.AWS_REGION ? { region: e.AWS_REGION } : {}), requireSignatureVersion2: e.SNS_REQUIRE_SIGNATURE_V2 === 'true' },
    slackSigningSecrets: list(e.SLACK_SIGNING_SECRETS),
    slackRoles,
    ...(slackWorkspace ? { slackWorkspace } : {}),
    ...(e.SLACK_BOT_TOKEN ? { slackBotToken: e.SLACK_BOT_TOKEN } : {}),
    ...(e.SLACK_CHANNEL ? { slackChannel: e.SLACK_CHANNEL } : {}),
    apiAuth: e.API_AUTH,
    apiTokens: list(e.API_TOKENS),
    snsTopicArns,
    alertRetentionDays: e.ALERT_RETENTION_DAYS,
    toolTimeWindowMs: toolTimeWindow(e.TOOL_TIME_WINDOW),
    ...(e.STORM_CAP > 0 ? { storm: { cap: e.STORM_CAP, windowMs: stormWindow(e.STORM_WINDOW) } } : {}),
    maxAlertBytes: e.MAX_ALERT_BYTES,
    ...(e.DYNAMODB_ENDPOINT ? { dynamoEndpoint: e.DYNAMODB_ENDPOINT } : {}),
    ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/$/, '') } : {}),
    ...(e.INGEST_TOKENS_SECRET_ARN ? { ingestTokensSecretArn: e.INGEST_TOKENS_SECRET_ARN } : {}),
    ...(e.SLACK_WEBHOOK_SECRET_ARN ? { slackWebhookSecretArn: e.SLACK_WEBHOOK_SECRET_ARN } : {}),
    ...(e.SLACK_WEBHOOK_URL ? { slackWebhookUrl: e.SLACK_WEBHOOK_URL } : {}),
  };
}

/** SLACK_TEAM_ID / SLACK_APP_ID, else the role mapping's teamId / appId; two values that differ are a mistake. */
function slackWorkspaceFrom(envTeam: string | undefined, envApp: string | undefined, roles: RoleMap): SlackWorkspace | undefined {
  const problems: string[] = [];
  if (envTeam && roles.teamId && envTeam !== roles.teamId) problems.push(`SLACK_TEAM_ID is ${envTeam} but SLACK_ROLES names team ${roles.teamId}`);
  if (envApp && roles.appId && envApp !== roles.appId) problems.push(`SLACK_APP_ID is ${envApp} but SLACK_ROLES names app ${roles.appId}`);
  const teamId = envTeam ?? roles.teamId;
  const appId = envApp ?? roles.appId;
  if (appId && !teamId) problems.push('SLACK_APP_ID without SLACK_TEAM_ID: name the team (workspace) too, requests are checked for both');
  if (problems.length) throw new ConfigurationError('Invalid Slack workspace', problems);
  return teamId ? { teamId, ...(appId ? { appId } : {}) } : undefined;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${name} is not JSON`, [(error as Error).message]);
  }
}
