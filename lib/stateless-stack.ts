import { ArnFormat, Aws, CfnOutput, Duration, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SnsEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ANCHOR_TICK } from '../lambdas/domain/trail-anchor.js';
import type { Construct } from 'constructs';
import { TABLE_KEYS as K } from '../lambdas/adapters/dynamo/table-definition.js';
import { BreachclockFunction } from './breachclock-function.js';
import { deskAssetCommands } from './desk-bundle.js';
import { slackAppManifest } from './slack-manifest.js';
import { recipientBucketName, trailAnchorBucketName, type StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  /** JSON escalation ladder (docs/configuration.md); the default ladder when unset. */
  readonly escalationLadder?: string;
  /** JSON of response-task templates (TASK_TEMPLATES; docs/tasks.md). */
  readonly taskTemplates?: string;
  /** Where people open incidents (dashboard); used in messages. */
  readonly publicBaseUrl?: string;
  /** JSON routing rules (docs/sources.md); the defaults when unset. */
  readonly routingRules?: string;
  /** SNS topics whose CloudWatch alarm notifications POST /alerts/cloudwatch accepts. */
  readonly snsAllowedTopicArns?: readonly string[];
  /** Refuse SNS messages signed with SignatureVersion 1 (set the allowed topics' SignatureVersion attribute to 2 first). */
  readonly snsSignatureVersion2?: boolean;
  /** JSON Slack user → roles mapping (docs/slack.md). */
  readonly slackRoles?: string;
  /** JSON organisation profile for notices: name and DPO contact (docs/notices.md). */
  readonly organisation?: string;
  /** The verified SES sender of notice emails. */
  readonly noticeFromEmail?: string;
  /** The account's SES maximum send rate (per second) and the number of concurrent senders sharing it. */
  readonly sesSendRate?: number;
  readonly sendConcurrency?: number;
  /** Prefix of the Cognito hosted sign-in domain for the desk (https://PREFIX.auth.REGION.amazoncognito.com); default breachclock-ACCOUNT. */
  readonly signInDomainPrefix?: string;
  /**
   * The loopback callbacks `breachclock login` may use (Cognito matches redirect_uri exactly, and allows http
   * only for localhost): http://localhost:<port>/<path>; default DEFAULT_CLI_LOGIN_CALLBACK_URLS.
   */
  readonly cliLoginCallbackUrls?: readonly string[];
  /**
   * Reserved concurrency per function (docs/deploy.md): the clock and the dispatcher are guaranteed theirs, the
   * functions a flood can reach are capped. `false` leaves every function in the unreserved pool (accounts whose
   * concurrency quota is below 100 + the sum reserved, such as new accounts, until the quota is raised).
   */
  readonly reservedConcurrency?: false | Partial<Record<FunctionName, number>>;
  /** Per-route throttles of the HTTP API (steady requests per second and burst); defaults in DEFAULT_ROUTE_THROTTLES. */
  readonly routeThrottles?: Partial<Record<ThrottledRoute, { readonly rate: number; readonly burst: number }>>;
}

export type FunctionName = 'ingest' | 'ingestBatches' | 'eventIngest' | 'api' | 'slack' | 'clock' | 'dispatcher' | 'planner' | 'sender' | 'sesEvents' | 'dashboard' | 'letters';

/** Defaults: 96 in all, leaving any account with the default quota of 1,000 most of it. */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = {
  // Two for the ticks, ten for the sweep queue's workers (CLOCK_WORKERS): a burst never takes the tick's place.
  clock: 12,
  dispatcher: 5,
  ingest: 30,
  ingestBatches: 5,
  eventIngest: 10,
  slack: 10,
  api: 10,
  planner: 2,
  sender: 2,
  sesEvents: 5,
  dashboard: 5,
  // The letter renderer, invoked by the senders one letter at a time (at least sendConcurrency).
  letters: 2,
};

/** Pages of a due burst settled at once: the sweep queue's event source maximum concurrency (ADR 0016). */
export const CLOCK_WORKERS = 10;

export type ThrottledRoute = 'POST /alerts/{source}' | 'POST /slack/actions' | 'POST /slack/commands' | 'api' | 'dashboard' | 'GET /n/{token}';

/** Unauthenticated routes get their own, lower limits, so a flood on one cannot take the stage's whole budget. */
export const DEFAULT_ROUTE_THROTTLES: Readonly<Record<ThrottledRoute, { readonly rate: number; readonly burst: number }>> = {
  'POST /alerts/{source}': { rate: 200, burst: 400 },
  'POST /slack/actions': { rate: 20, burst: 40 },
  'POST /slack/commands': { rate: 20, burst: 40 },
  api: { rate: 50, burst: 100 },
  dashboard: { rate: 20, burst: 40 },
  // The notice page behind private links (issue 26.5): people open it from an SMS; guessing a 256-bit token is hopeless, a flood is capped.
  'GET /n/{token}': { rate: 10, burst: 20 },
};

/** Where `breachclock login` receives the browser's return (docs/deploy.md): a fixed, documented loopback port and path. */
export const DEFAULT_CLI_LOGIN_CALLBACK_URLS: readonly string[] = ['http://localhost:8976/callback'];

/**
 * The CLI's callbacks, checked: each http://localhost:<port>/<path> (the CLI serves only loopback, on
 * 127.0.0.1; Cognito accepts plain http only for localhost), no query or fragment, no two on one port.
 */
export function cliCallbackUrls(urls: readonly string[] = DEFAULT_CLI_LOGIN_CALLBACK_URLS): readonly string[] {
  if (urls.length === 0) throw new Error('cliLoginCallbackUrls: give at least one http://localhost:<port>/<path>');
  const ports = new Set<string>();
  for (const value of urls) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'http:' || url.hostname !== 'localhost' || !url.port || url.pathname === '/' || url.search || url.hash || url.href !== value) {
      throw new Error(`cliLoginCallbackUrls: ${value} is not of the form http://localhost:<port>/<path> (e.g. http://localhost:8976/callback)`);
    }
    if (ports.has(url.port)) throw new Error(`cliLoginCallbackUrls: two callbacks on port ${url.port}`);
    ports.add(url.port);
  }
  return urls;
}

/** Functions, the HTTP API, the schedule and the stream consumer: replaceable without touching data. */
export class StatelessStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly functions: Readonly<Record<FunctionName, BreachclockFunction>>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const s = props.stateful;
    const shared: Record<string, string> = {
      ...(props.escalationLadder ? { ESCALATION_LADDER: props.escalationLadder } : {}),
      ...(props.taskTemplates ? { TASK_TEMPLATES: props.taskTemplates } : {}),
      ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
    };
    const snsTopicArns = JSON.stringify(Object.fromEntries(Object.entries(s.topics).map(([name, topic]) => [name, topic.topicArn])));

    const ingestEnv = {
      ...shared,
      ...(props.routingRules ? { ROUTING_RULES: props.routingRules } : {}),
      ...(props.snsAllowedTopicArns?.length ? { SNS_ALLOWED_TOPIC_ARNS: props.snsAllowedTopicArns.join(',') } : {}),
      ...(props.snsSignatureVersion2 ? { SNS_REQUIRE_SIGNATURE_V2: 'true' } : {}),
    };
    const ingestActions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'] as const;
    const ingest = new BreachclockFunction(this, 'Ingest', {
      handlerFile: 'ingest-alert.handler.ts',
      description: 'POST /alerts/{source}: authenticate, validate, route, open or attach to an incident',
      environment: ingestEnv,
    })
      .bindTable(s.table, s.key, ingestActions)
      .bindSecret('INGEST_TOKENS_SECRET_ARN', s.ingestTokens, s.key);

    // The alert stream (ADR 0011): keeps and counts attached alerts on their incidents (ingest writes only
    // their delivery records), and places large alert groups, which the ingest function persists (entity AlertBatch)
    // before it answers. One event source mapping for both: a stream shard serves at most two readers
    // without throttling, and the dispatcher and the notice planner read it too.
    const ingestBatchFailures = this.deadLetterQueue('IngestBatchFailures');
    const ingestBatches = new BreachclockFunction(this, 'IngestBatches', {
      handlerFile: 'ingest-batch.handler.ts',
      description: 'Table stream: keep and count attached alerts on their incidents; place the alerts of a large group after the sender was answered',
      timeout: Duration.minutes(5),
      environment: ingestEnv,
    }).bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem']);

    const eventIngest = new BreachclockFunction(this, 'EventIngest', {
      handlerFile: 'ingest-event.handler.ts',
      description: 'EventBridge: GuardDuty and Security Hub findings into the same ingest',
      environment: ingestEnv,
    }).bindTable(s.table, s.key, ingestActions);
    // This dead-letter queue lives here, not in the stateful stack: EventBridge needs a queue policy naming
    // the rule, and a policy in the stateful stack would make the stacks depend on each other. SSE-SQS, so
    // EventBridge needs no grant on the data key. Its messages are findings (no personal data beyond them).
    const eventFailures = this.deadLetterQueue('EventIngestFailures');
    new events.Rule(this, 'SecurityFindingsRule', {
      description: 'GuardDuty and Security Hub findings to breachclock',
      eventPattern: {
        source: ['aws.guardduty', 'aws.securityhub'],
        detailType: ['GuardDuty Finding', 'Security Hub Findings - Imported'],
      },
      targets: [
        new eventTargets.LambdaFunction(eventIngest.fn, {
          deadLetterQueue: eventFailures,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    // Event sources read the stream and the queues through these references without the key: CDK's event
    // sources would otherwise grant kms:Decrypt on the data key unconditioned; each function instead gets the
    // key only through the services it uses (kms:ViaService, BreachclockFunction.allowKey).
    const tableStream = dynamodb.Table.fromTableAttributes(this, 'TableStream', { tableArn: s.table.tableArn, tableStreamArn: s.table.tableStreamArn! });
    const queueWithoutKey = (id: string, queue: sqs.IQueue) => sqs.Queue.fromQueueAttributes(this, id, { queueArn: queue.queueArn, queueUrl: queue.queueUrl });
    const sendQueue = queueWithoutKey('SendQueueRef', s.sendQueue);
    const noticeFailures = queueWithoutKey('NoticeFailuresRef', s.noticeFailures);
    const dispatchFailures = queueWithoutKey('DispatchFailuresRef', s.dispatchFailures);

    // Failed asynchronous invocations (Slack's queued work, SES events from SNS) after Lambda's two retries:
    // kept 14 days and alarmed. SSE-SQS, so Lambda needs no grant on the data key to write here.
    const asyncFailures = this.deadLetterQueue('AsyncInvokeFailures');

    const sendConcurrency = props.sendConcurrency ?? 2;
    const noticeEnv: Record<string, string> = {
      ...shared,
      RECIPIENT_BUCKET: recipientBucketName(this.account, this.region),
      RECIPIENT_KMS_KEY_ARN: s.key.keyArn,
      RECIPIENT_LIST_RETENTION_DAYS: String(s.recipientListRetentionDays),
      SES_CONFIGURATION_SET: s.sesConfigurationSet.configurationSetName,
      SES_SEND_RATE: String(props.sesSendRate ?? 14),
      SEND_CONCURRENCY: String(sendConcurrency),
      ...(props.organisation ? { ORGANISATION: props.organisation } : {}),
      ...(props.noticeFromEmail ? { NOTICE_FROM_EMAIL: props.noticeFromEmail } : {}),
    };

    // The audit trail's anchors: the dispatcher and the clock sign and store them; the API reads and verifies them.
    const anchorBucket = trailAnchorBucketName(this.account, this.region);
    const anchorEnv = { TRAIL_ANCHOR_BUCKET: anchorBucket, TRAIL_SIGNING_KEY_ARN: s.trailSigningKey.keyArn };
    const api = new BreachclockFunction(this, 'Api', {
      handlerFile: 'api.handler.ts',
      description: '/api/*: incidents, clocks, actions, notices (JWT)',
      environment: { ...noticeEnv, ...anchorEnv, API_AUTH: 'jwt' },
    }).bindTable(
      s.table,
      s.key,
      // BatchGetItem: the open and register indexes hold keys only; a page's incidents are read from the table.
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
      [K.openIndex, K.registerIndex],
    );

    // Slack answers within 3 s and runs the action as an asynchronous invocation of itself: a fixed name
    // lets the role allow exactly that without a circular reference.
    const slackFunctionName = `${this.stackName}-slack`.slice(0, 64);
    const slack = new BreachclockFunction(this, 'Slack', {
      handlerFile: 'slack.handler.ts',
      description: '/slack/actions and /slack/commands: signed Slack interactions',
      functionName: slackFunctionName,
      deadLetterQueue: asyncFailures,
      // USER_POOL_ID: a Slack user linked to an account acts with that account's groups (issue 24.5).
      environment: { ...shared, USER_POOL_ID: s.userPool.userPoolId, ...(props.slackRoles ? { SLACK_ROLES: props.slackRoles } : {}) },
    })
      .bindTable(
        s.table,
        s.key,
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
        [K.openIndex],
      )
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);
    slack.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser'], resources: [s.userPool.userPoolArn] }));
    slack.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.formatArn({ service: 'lambda', resource: 'function', resourceName: slackFunctionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );

    const clock = new BreachclockFunction(this, 'Clock', {
      handlerFile: 'sweep-due-timers.handler.ts',
      description: 'Every minute: fire due escalation steps once (a burst in pages through the sweep queue), re-drive undelivered messages; hourly: anchor moved trails',
      timeout: Duration.seconds(55),
      environment: { ...shared, ...anchorEnv, SNS_TOPIC_ARNS: snsTopicArns, SWEEP_QUEUE_URL: s.sweepQueue.queueUrl },
    })
      .bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [K.dueIndex])
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);
    // Fan-out (ADR 0016): the tick sends pages of a burst to the sweep queue, which invokes the same function,
    // a page at a time, at most CLOCK_WORKERS at once; a page with a failed item is received again (5 times), then SweepFailures.
    clock.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [s.sweepQueue.queueArn] }));
    clock.allowKey(s.key, 'sqs'); // the sweep queue is on the data key
    clock.fn.addEventSource(new SqsEventSource(queueWithoutKey('SweepQueueRef', s.sweepQueue), { batchSize: 1, maxConcurrency: CLOCK_WORKERS, reportBatchItemFailures: true }));

    ingestBatches.fn.addEventSource(
      new DynamoEventSource(tableStream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        // Up to 500 records a second per shard folded together: one count write per incident and batch.
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(ingestBatchFailures),
        filters: [
          lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('AlertBatch') } } } }),
          lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('Delivery') }, outcome: { S: lambda.FilterRule.isEqual('attached') } } } }),
        ],
      }),
    );

    const dispatcher = new BreachclockFunction(this, 'Dispatcher', {
      handlerFile: 'dispatch-outbox.handler.ts',
      description: 'Table stream: deliver outbox messages to Slack and SNS, and anchor the trail, idempotently',
      timeout: Duration.seconds(60),
      environment: { ...shared, ...anchorEnv, SNS_TOPIC_ARNS: snsTopicArns },
    })
      .bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);

    // Notices: the API stores uploaded lists; the planner (fed by the table's stream when a notice starts
    // sending) streams a list into the send queue; the sender (SQS, bounded concurrency) sends through SES
    // and SNS; SES's events come back through its topic.
    const listObjects = `arn:${Aws.PARTITION}:s3:::${recipientBucketName(this.account, this.region)}/recipients/*`;
    // Put (small lists, and presigned URLs for large ones), Get (validating an uploaded list), Delete (replaced lists).
    api.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:GetObject', 's3:DeleteObject'], resources: [listObjects] }));
    api.allowKey(s.key, 's3'); // lists are SSE-KMS with the data key (also for uploads through a presigned URL)

    const planner = new BreachclockFunction(this, 'NoticePlanner', {
      handlerFile: 'plan-notice-sends.handler.ts',
      description: 'Table stream: a notice starts sending; stream its list from S3 into the send queue',
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment: { ...noticeEnv, SEND_QUEUE_URL: s.sendQueue.queueUrl },
    }).bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    planner.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [listObjects] }));
    planner.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [s.sendQueue.queueArn] }));
    planner.allowKey(s.key, 's3', 'sqs'); // lists in S3; the send queue and the failure queue are on the data key
    planner.fn.addEventSource(
      new DynamoEventSource(tableStream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 1,
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(noticeFailures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('MODIFY'),
            dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('Notice') }, status: { S: lambda.FilterRule.isEqual('sending') } } },
          }),
        ],
      }),
    );

    const sender = new BreachclockFunction(this, 'NoticeSender', {
      handlerFile: 'send-notice-chunk.handler.ts',
      description: 'Send queue: email (SES v2) and SMS (SNS) to each recipient once, at the configured rate',
      timeout: Duration.seconds(150),
      environment: noticeEnv,
    }).bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    sender.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: '*' }), this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: s.sesConfigurationSet.configurationSetName })],
      }),
    );
    // The chunk that completes a notice deletes its list (the delivery records are the proof, the addresses go).
    sender.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [listObjects] }));
    // SMS to phone numbers: SNS has no resource for a phone number, so Publish is allowed on "*" and denied on every topic.
    sender.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    sender.fn.addToRolePolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['sns:Publish'], resources: [this.formatArn({ service: 'sns', resource: '*' })] }));
    sender.allowKey(s.key, 'sqs'); // the send queue is encrypted with the data key
    // Letters (issue 26.5, ADR 0019): the sender asks the render function, the only one bundling the PDF library,
    // to render and store each letter and, at the end, the batch, beside the lists (the same lifecycle).
    const letterObjects = `arn:${Aws.PARTITION}:s3:::${recipientBucketName(this.account, this.region)}/letters/*`;
    const letterBucket = `arn:${Aws.PARTITION}:s3:::${recipientBucketName(this.account, this.region)}`;
    const listLetters = new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [letterBucket], conditions: { StringLike: { 's3:prefix': ['letters/*'] } } });
    const letterRenderer = new BreachclockFunction(this, 'LetterRenderer', {
      handlerFile: 'render-notice-letter.handler.ts',
      description: 'Invoked by the sender: render a letter to PDF (or bind the batch) and store it beside the lists',
      timeout: Duration.seconds(60),
      memorySize: 1024,
      environment: { RECIPIENT_BUCKET: recipientBucketName(this.account, this.region), RECIPIENT_KMS_KEY_ARN: s.key.keyArn },
    });
    letterRenderer.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [letterObjects] }));
    letterRenderer.fn.addToRolePolicy(listLetters);
    letterRenderer.allowKey(s.key, 's3');
    letterRenderer.fn.grantInvoke(sender.fn);
    sender.fn.addEnvironment('LETTER_FUNCTION_NAME', letterRenderer.fn.functionName);
    // The desk lists and opens them through the API.
    api.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [letterObjects] }));
    api.fn.addToRolePolicy(listLetters);
    sender.fn.addEventSource(new SqsEventSource(sendQueue, { batchSize: 1, maxConcurrency: Math.max(2, sendConcurrency), reportBatchItemFailures: true }));

    const sesEvents = new BreachclockFunction(this, 'SesEvents', {
      handlerFile: 'ses-events.handler.ts',
      description: 'SES events (delivery, bounce, complaint) recorded on each recipient of a notice',
      deadLetterQueue: asyncFailures,
      environment: shared,
    }).bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']);
    sesEvents.fn.addEventSource(new SnsEventSource(s.sesEvents, { deadLetterQueue: s.noticeFailures }));

    const topicArns = Object.values(s.topics).map((topic) => topic.topicArn);
    clock.allowPublish(topicArns, s.key);
    dispatcher.allowPublish(topicArns, s.key);
    dispatcher.allowKey(s.key, 'sqs'); // its on-failure queue is on the data key

    dispatcher.fn.addEventSource(
      new DynamoEventSource(tableStream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(dispatchFailures),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('Outbox') } } },
          }),
        ],
      }),
    );

    new scheduler.Schedule(this, 'ClockSchedule', {
      description: 'breachclock clock tick: sweep due timers every minute',
      schedule: scheduler.ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(clock.fn, {
        deadLetterQueue: s.clockFailures,
        retryAttempts: 2,
        maxEventAge: Duration.seconds(60),
      }),
    });
    new scheduler.Schedule(this, 'TrailAnchorSchedule', {
      description: 'breachclock: hourly, anchor the audit trail of every open incident that moved since its last anchor',
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new LambdaInvoke(clock.fn, { input: scheduler.ScheduleTargetInput.fromObject(ANCHOR_TICK), deadLetterQueue: s.clockFailures, retryAttempts: 2, maxEventAge: Duration.minutes(30) }),
    });
    // kms:Sign only for the anchoring functions; the API only reads the public key. Anchors are written, never
    // deleted (Object Lock refuses it anyway); the readers list and read them.
    const anchorBucketArn = `arn:${Aws.PARTITION}:s3:::${anchorBucket}`;
    const anchorObjects = `${anchorBucketArn}/anchors/*`;
    for (const writer of [dispatcher, clock]) {
      s.trailSigningKey.grant(writer.fn, 'kms:Sign');
      writer.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [anchorObjects] }));
      writer.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [anchorBucketArn], conditions: { StringLike: { 's3:prefix': ['anchors/*'] } } }));
    }
    s.trailSigningKey.grant(api.fn, 'kms:GetPublicKey');
    api.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [anchorObjects] }));
    api.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [anchorBucketArn], conditions: { StringLike: { 's3:prefix': ['anchors/*'] } } }));

    // HTTP API: monitoring tools authenticate with a bearer token checked in the ingest function (they
    // cannot obtain JWTs); officers use Cognito JWTs on /api/*.
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'breachclock: alerts in, incidents API',
      createDefaultStage: true,
    });
    const stage = this.api.defaultStage!.node.defaultChild as apigw.CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // No request bodies, no query strings: identifiers and outcomes only.
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        time: '$context.requestTime',
        route: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 500, throttlingRateLimit: 1000 };
    const throttles = { ...DEFAULT_ROUTE_THROTTLES, ...props.routeThrottles };
    const routeLimit = (route: ThrottledRoute) => ({ ThrottlingRateLimit: throttles[route].rate, ThrottlingBurstLimit: throttles[route].burst });
    stage.routeSettings = {
      'POST /alerts/{source}': routeLimit('POST /alerts/{source}'),
      'POST /slack/actions': routeLimit('POST /slack/actions'),
      'POST /slack/commands': routeLimit('POST /slack/commands'),
      ...Object.fromEntries(
        ['GET /api/incidents', 'GET /api/incidents/{proxy+}', 'POST /api/incidents/{proxy+}', 'PUT /api/incidents/{proxy+}', 'GET /api/notice-packs', 'GET /api/register', 'GET /api/tasks', 'GET /api/me', 'GET /api/openapi.json'].map((key) => [key, routeLimit('api')]),
      ),
      'GET /dashboard': routeLimit('dashboard'),
      'GET /dashboard/{file}': routeLimit('dashboard'),
      'GET /n/{token}': routeLimit('GET /n/{token}'),
    };

    this.api.addRoutes({
      path: '/alerts/{source}',
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', ingest.fn),
    });
    const slackIntegration = new HttpLambdaIntegration('SlackIntegration', slack.fn);
    this.api.addRoutes({ path: '/slack/actions', methods: [apigw.HttpMethod.POST], integration: slackIntegration });
    this.api.addRoutes({ path: '/slack/commands', methods: [apigw.HttpMethod.POST], integration: slackIntegration });
    // The compliance desk: static files from a function with no data access; people sign in through the
    // user pool's hosted sign-in (authorization code + PKCE, a public client) and the page calls /api/* with
    // the access token. The callback is the desk's own URL on this API.
    const signInDomain = new cognito.UserPoolDomain(this, 'SignInDomain', {
      userPool: s.userPool,
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `breachclock-${this.account}` },
    });
    const deskUrl = `${this.api.apiEndpoint}/dashboard`;
    const deskClient = new cognito.UserPoolClient(this, 'DeskClient', {
      userPool: s.userPool,
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      writeAttributes: new cognito.ClientAttributes(),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [deskUrl],
        logoutUrls: [deskUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    // Only the hosted sign-in: no SRP, password or custom flows against this client (Cognito's default
    // when ExplicitAuthFlows is absent would allow SRP and custom auth).
    (deskClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    // `breachclock login` (issue 25.3): a public client of its own for the CLI (no secret), the code grant
    // only (the CLI always sends a PKCE S256 challenge), callbacks on the officer's own machine (a loopback
    // server on 127.0.0.1 that answers one callback), token revocation for `breachclock logout`. A refresh
    // token lasts a working day, as the desk's; the access token an hour.
    const cliLoginCallbackUrls = cliCallbackUrls(props.cliLoginCallbackUrls);
    const cliLoginClient = new cognito.UserPoolClient(this, 'CliLoginClient', {
      userPool: s.userPool,
      userPoolClientName: 'breachclock-cli-login',
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      writeAttributes: new cognito.ClientAttributes(),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [...cliLoginCallbackUrls],
        logoutUrls: [],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    });
    (cliLoginClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    const dashboard = new BreachclockFunction(this, 'Dashboard', {
      handlerFile: 'dashboard.handler.ts',
      description: '/dashboard: the compliance desk (static files; no data access)',
      memorySize: 256,
      timeout: Duration.seconds(5),
      // The desk's page, style and script (its TypeScript modules bundled by esbuild: ADR 0017) beside the handler.
      addToBundle: deskAssetCommands,
      // config.json tells the desk and `breachclock login` (given only the API URL) how to sign in.
      environment: {
        COGNITO_DOMAIN: signInDomain.baseUrl(),
        COGNITO_CLIENT_ID: deskClient.userPoolClientId,
        COGNITO_CLI_CLIENT_ID: cliLoginClient.userPoolClientId,
        COGNITO_CLI_REDIRECT_URIS: cliLoginCallbackUrls.join(','),
        // Where the desk PUTs a list over 5 MB (the API's presigned S3 URL): allowed by its CSP's connect-src.
        DESK_UPLOAD_ORIGIN: `https://${recipientBucketName(this.account, this.region)}.s3.${this.region}.amazonaws.com`,
      },
    });
    const dashboardIntegration = new HttpLambdaIntegration('DashboardIntegration', dashboard.fn);
    this.api.addRoutes({ path: '/dashboard', methods: [apigw.HttpMethod.GET], integration: dashboardIntegration });
    this.api.addRoutes({ path: '/dashboard/{file}', methods: [apigw.HttpMethod.GET], integration: dashboardIntegration });

    const authorizer = new HttpUserPoolAuthorizer('OfficersAuthorizer', s.userPool, { userPoolClients: [s.userPoolClient, deskClient, cliLoginClient] });
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', api.fn);
    this.api.addRoutes({ path: '/api/incidents', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/incidents/{proxy+}', methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST, apigw.HttpMethod.PUT], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/notice-packs', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/register', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/tasks', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/me', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    this.api.addRoutes({ path: '/api/openapi.json', methods: [apigw.HttpMethod.GET], integration: apiIntegration, authorizer });
    // The notice page behind a private link (issue 26.5): no authorizer, the token is the key; the API function serves it.
    this.api.addRoutes({ path: '/n/{token}', methods: [apigw.HttpMethod.GET], integration: apiIntegration });
    sender.fn.addEnvironment('NOTICE_PAGE_URL', `${this.api.apiEndpoint}/n`);

    // Alarms to the operators' topic: failed deliveries, failed ticks, function errors, a lagging stream.
    const alarmAction = new cwActions.SnsAction(s.operatorsTopic);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string, threshold = 1) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(alarmAction);
    alarm('DispatchFailuresAlarm', s.dispatchFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Messages that could not be delivered reached the dead-letter queue');
    alarm('EventIngestFailuresAlarm', eventFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'A GuardDuty/Security Hub finding could not be ingested after retries');
    alarm('ClockFailuresAlarm', s.clockFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'A clock tick failed after retries: escalations may be late');
    alarm('DispatcherIteratorAgeAlarm', dispatcher.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }), 'The dispatcher is more than 5 minutes behind the table stream', 300_000);
    alarm('SweepFailuresAlarm', s.sweepFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'A page of due escalation steps failed 5 times (see the SweepFailures queue): its steps stay due and are retried every minute, escalations may be late');
    alarm('SendFailuresAlarm', s.sendFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Notice sends were given up on after retries: some people were not told');
    alarm('AlertStreamIteratorAgeAlarm', ingestBatches.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }), 'Alert counts are more than 5 minutes behind the table stream (incidents show too few alerts)', 300_000);
    alarm('IngestBatchFailuresAlarm', ingestBatchFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Part of a large alert group could not be placed after retries (see the IngestBatchFailures queue)');
    alarm('AsyncInvokeFailuresAlarm', asyncFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'Slack work or SES events failed after retries (see the AsyncInvokeFailures queue)');
    alarm('NoticeFailuresAlarm', s.noticeFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }), 'A notice could not be planned, or SES events could not be recorded');
    // From the functions' own metrics (EMF, lambdas/handlers/middleware/metrics.ts).
    const appMetric = (metricName: string, period: Duration) => new cloudwatch.Metric({ namespace: 'breachclock', metricName, dimensionsMap: { service: 'breachclock' }, statistic: 'Sum', period });
    new cloudwatch.Alarm(this, 'ClockStoppedAlarm', {
      metric: appMetric('SweepsCompleted', Duration.minutes(5)),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      // No data is the failure this alarm is for: the clock did not run at all.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: 'The clock has not completed a sweep in 5 minutes: legal escalations are not firing',
    }).addAlarmAction(alarmAction);
    alarm('LegalClockOverdueAlarm', appMetric('LegalClocksOverdue', Duration.minutes(1)), 'A legal notification clock went overdue (an incident passed its deadline without a recorded submission)');
    alarm('DeliveriesGivenUpAlarm', appMetric('DeliveriesGivenUp', Duration.minutes(1)), 'A Slack or SNS delivery was given up on for good (permanent error such as channel_not_found or invalid_auth, or every attempt used): people were not told');
    alarm('DeliveriesUnconfirmedAlarm', appMetric('DeliveriesUnconfirmed', Duration.minutes(1)), 'An escalation page was cut off between its send and its record (a crash or timeout) and SNS or Slack cannot say whether it went out: parked as unconfirmed, not sent again; see the incident\'s messages and timeline and decide whether to page again');
    alarm('DeliveriesFailingAlarm', appMetric('DeliveriesFailed', Duration.minutes(5)), 'Slack/SNS deliveries are failing (retried; the dead-letter alarm fires if they are given up on)', 5);
    for (const [name, fn] of Object.entries({ ingest, ingestBatches, eventIngest, api, slack, clock, dispatcher, planner, sender, sesEvents, dashboard })) {
      alarm(`${name[0]!.toUpperCase()}${name.slice(1)}ErrorsAlarm`, fn.fn.metricErrors({ period: Duration.minutes(5) }), `The ${name} function reported errors`);
    }

    this.functions = { ingest, ingestBatches, eventIngest, api, slack, clock, dispatcher, planner, sender, sesEvents, dashboard, letters: letterRenderer };
    if (props.reservedConcurrency !== false) {
      const reserved = { ...DEFAULT_RESERVED_CONCURRENCY, ...props.reservedConcurrency };
      reserved.sender = Math.max(reserved.sender, sendConcurrency);
      reserved.letters = Math.max(reserved.letters, sendConcurrency);
      // The sweep queue's workers and two ticks: a burst must not take the place of the next tick.
      reserved.clock = Math.max(reserved.clock, CLOCK_WORKERS + 2);
      for (const [name, fn] of Object.entries(this.functions) as [FunctionName, BreachclockFunction][]) {
        (fn.fn.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions = reserved[name];
      }
    }
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'DashboardUrl', { value: deskUrl });
    // The Slack app, from the manifest in the repo with this API's URLs (docs/deploy.md).
    new CfnOutput(this, 'SlackAppManifest', { value: this.toJsonString(slackAppManifest(this.api.apiEndpoint)) });
    new CfnOutput(this, 'SignInUrl', { value: signInDomain.baseUrl() });
    new CfnOutput(this, 'DeskClientId', { value: deskClient.userPoolClientId });
    new CfnOutput(this, 'CliLoginClientId', { value: cliLoginClient.userPoolClientId });

    // cdk-nag findings acknowledged, each with its reason.
    for (const fn of Object.values(this.functions)) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch Logs.",
      });
      Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords and dynamodb:ListStreams (stream event sources) support no resource-level permissions.' });
    }
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    Validations.of(sender).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'sns:Publish to phone numbers (SMS) has no resource-level permission; publishing to any topic is denied by an explicit Deny.' },
      { id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:${region}:${account}:identity/*]`, reason: 'The sender may use any verified SES identity of the account (the operator verifies the notice sender); sends are bound to the configuration set.' },
    );
    for (const fn of [api, planner, sender]) {
      Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::breachclock-recipient-lists-${account}-${region}/recipients/*]`, reason: 'Objects under recipients/ only: one object per uploaded list, named by incident and notice.' });
    }
    for (const fn of [api, letterRenderer]) {
      Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::breachclock-recipient-lists-${account}-${region}/letters/*]`, reason: 'Objects under letters/ only: one PDF per person (named by recipient key) and a batch per notice, expiring with the lists.' });
    }
    Validations.of(sender).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(letterRenderer.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`, reason: 'grantInvoke on the letter renderer: the function and its versions (":*"), nothing else.' });
    for (const fn of [api, clock, dispatcher]) {
      Validations.of(fn).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${trailAnchorBucketName(account, region)}/anchors/*]`, reason: 'Objects under anchors/ only: one object per anchor, named by incident, chain position and time; Object Lock forbids overwriting.' });
    }
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(clock.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: 'The scheduler role may invoke the clock function and its versions (generated by the LambdaInvoke target).',
    });
    // cdk-nag Serverless pack: functions not invoked asynchronously need no function dead-letter queue.
    const noAsyncInvocation: Partial<Record<FunctionName, string>> = {
      ingest: 'Invoked synchronously by API Gateway: the sender gets the error and retries.',
      api: 'Invoked synchronously by API Gateway: the caller gets the error.',
      dashboard: 'Invoked synchronously by API Gateway: static files.',
      eventIngest: 'EventBridge invokes it with 4 retries over 2 hours and its own target dead-letter queue (EventIngestFailures, alarmed).',
      clock: "EventBridge Scheduler invokes it with 2 retries and its own dead-letter queue (ClockFailures, alarmed); the next minute sweeps again. Its sweep queue's redrive policy moves failed pages to SweepFailures (alarmed).",
      dispatcher: 'A DynamoDB stream event source mapping with an on-failure destination (DispatchFailures, alarmed).',
      planner: 'A DynamoDB stream event source mapping with an on-failure destination (NoticeFailures, alarmed).',
      ingestBatches: 'A DynamoDB stream event source mapping with an on-failure destination (IngestBatchFailures, alarmed).',
      sender: "An SQS event source mapping: the send queue's redrive policy moves failed messages to SendFailures (alarmed).",
      letters: 'Invoked synchronously by the sender: a failure releases the claim and the chunk is retried (then SendFailures).',
    };
    for (const [name, reason] of Object.entries(noAsyncInvocation) as [FunctionName, string][]) {
      Validations.of(this.functions[name]).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
    }
    Validations.of(clock).acknowledge({ id: 'Serverless-LambdaEventSourceMappingDestination', reason: "SQS event sources take no on-failure destination; the sweep queue's redrive policy (5 receives) moves failed pages to SweepFailures (alarmed)." });
    Validations.of(sender).acknowledge({ id: 'Serverless-LambdaEventSourceMappingDestination', reason: "SQS event sources take no on-failure destination; the send queue's redrive policy (8 receives) moves failed messages to SendFailures (alarmed)." });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'POST /alerts/{source} and /slack/*: monitoring tools and Slack cannot present JWTs; the functions verify the source\'s credentials (bearer token, HMAC, SNS signature, Slack v0 signature with a 5-minute window; constant-time, two valid during a rotation) from Secrets Manager before anything is written. /api/* routes use the Cognito JWT authorizer. /dashboard and its files are static (no data; the page signs in through Cognito and calls /api/* with the token). GET /n/{token} is the notice page a person without email opens from an SMS: the 256-bit token is the credential (stored hashed, expiring, bound to one notice version and recipient), the route has its own low throttle.',
    });
  }

  /**
   * A dead-letter queue of this stack: SSE-SQS (so the services writing to it need no grant on the data key),
   * TLS only, kept 14 days; it is the destination itself, so it has no redrive policy of its own.
   */
  private deadLetterQueue(id: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter destination itself.' },
      { id: 'Serverless-SQSRedrivePolicy', reason: 'This queue is the dead-letter destination itself.' },
    );
    return queue;
  }
}
