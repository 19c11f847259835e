import { ArnFormat, CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { TABLE_KEYS as K } from '../lambdas/adapters/dynamo/table-definition.js';
import { BreachclockFunction } from './breachclock-function.js';
import type { StatefulStack } from './stateful-stack.js';

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulStack;
  /** JSON escalation ladder (docs/configuration.md); the default ladder when unset. */
  readonly escalationLadder?: string;
  /** Where people open incidents (dashboard); used in messages. */
  readonly publicBaseUrl?: string;
  /** JSON routing rules (docs/sources.md); the defaults when unset. */
  readonly routingRules?: string;
  /** SNS topics whose CloudWatch alarm notifications POST /alerts/cloudwatch accepts. */
  readonly snsAllowedTopicArns?: readonly string[];
  /** JSON Slack user → roles mapping (docs/slack.md). */
  readonly slackRoles?: string;
}

/** Functions, the HTTP API, the schedule and the stream consumer: replaceable without touching data. */
export class StatelessStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly functions: Readonly<Record<'ingest' | 'eventIngest' | 'api' | 'slack' | 'clock' | 'dispatcher', BreachclockFunction>>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const s = props.stateful;
    const shared: Record<string, string> = {
      ...(props.escalationLadder ? { ESCALATION_LADDER: props.escalationLadder } : {}),
      ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
    };
    const snsTopicArns = JSON.stringify(Object.fromEntries(Object.entries(s.topics).map(([name, topic]) => [name, topic.topicArn])));

    const ingestEnv = {
      ...shared,
      ...(props.routingRules ? { ROUTING_RULES: props.routingRules } : {}),
      ...(props.snsAllowedTopicArns?.length ? { SNS_ALLOWED_TOPIC_ARNS: props.snsAllowedTopicArns.join(',') } : {}),
    };
    const ingestActions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'] as const;
    const ingest = new BreachclockFunction(this, 'Ingest', {
      handlerFile: 'ingest-alert.handler.ts',
      description: 'POST /alerts/{source}: authenticate, validate, route, open or attach to an incident',
      environment: ingestEnv,
    })
      .bindTable(s.table, s.key, ingestActions)
      .bindSecret('INGEST_TOKENS_SECRET_ARN', s.ingestTokens, s.key);

    const eventIngest = new BreachclockFunction(this, 'EventIngest', {
      handlerFile: 'ingest-event.handler.ts',
      description: 'EventBridge: GuardDuty and Security Hub findings into the same ingest',
      environment: ingestEnv,
    }).bindTable(s.table, s.key, ingestActions);
    // This dead-letter queue lives here, not in the stateful stack: EventBridge needs a queue policy naming
    // the rule, and a policy in the stateful stack would make the stacks depend on each other. SSE-SQS, so
    // EventBridge needs no grant on the data key. Its messages are findings (no personal data beyond them).
    const eventFailures = new sqs.Queue(this, 'EventIngestFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(eventFailures).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter destination itself.' });
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

    const api = new BreachclockFunction(this, 'Api', {
      handlerFile: 'api.handler.ts',
      description: '/api/*: incidents, clocks, actions (JWT)',
      environment: { ...shared, API_AUTH: 'jwt' },
    }).bindTable(
      s.table,
      s.key,
      ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
      [K.openIndex],
    );

    // Slack answers within 3 s and runs the action as an asynchronous invocation of itself: a fixed name
    // lets the role allow exactly that without a circular reference.
    const slackFunctionName = `${this.stackName}-slack`.slice(0, 64);
    const slack = new BreachclockFunction(this, 'Slack', {
      handlerFile: 'slack.handler.ts',
      description: '/slack/actions and /slack/commands: signed Slack interactions',
      functionName: slackFunctionName,
      environment: { ...shared, ...(props.slackRoles ? { SLACK_ROLES: props.slackRoles } : {}) },
    })
      .bindTable(
        s.table,
        s.key,
        ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
        [K.openIndex],
      )
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);
    slack.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.formatArn({ service: 'lambda', resource: 'function', resourceName: slackFunctionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );

    const clock = new BreachclockFunction(this, 'Clock', {
      handlerFile: 'sweep-due-timers.handler.ts',
      description: 'Every minute: fire due escalation steps once, re-drive undelivered messages',
      timeout: Duration.seconds(55),
      environment: { ...shared, SNS_TOPIC_ARNS: snsTopicArns },
    })
      .bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [K.dueIndex])
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);

    const dispatcher = new BreachclockFunction(this, 'Dispatcher', {
      handlerFile: 'dispatch-outbox.handler.ts',
      description: 'Table stream: deliver outbox messages to Slack and SNS, idempotently',
      timeout: Duration.seconds(60),
      environment: { ...shared, SNS_TOPIC_ARNS: snsTopicArns },
    })
      .bindTable(s.table, s.key, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .bindSecret('SLACK_WEBHOOK_SECRET_ARN', s.slackWebhook, s.key);

    const topicArns = Object.values(s.topics).map((topic) => topic.topicArn);
    clock.allowPublish(topicArns, s.key);
    dispatcher.allowPublish(topicArns, s.key);

    dispatcher.fn.addEventSource(
      new DynamoEventSource(s.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(1),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(s.dispatchFailures),
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

    this.api.addRoutes({
      path: '/alerts/{source}',
      methods: [apigw.HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', ingest.fn),
    });
    const slackIntegration = new HttpLambdaIntegration('SlackIntegration', slack.fn);
    this.api.addRoutes({ path: '/slack/actions', methods: [apigw.HttpMethod.POST], integration: slackIntegration });
    this.api.addRoutes({ path: '/slack/commands', methods: [apigw.HttpMethod.POST], integration: slackIntegration });
    const authorizer = new HttpUserPoolAuthorizer('OfficersAuthorizer', s.userPool, { userPoolClients: [s.userPoolClient] });
    const apiIntegration = new HttpLambdaIntegration('ApiIntegration', api.fn);
    for (const path of ['/api/incidents', '/api/incidents/{proxy+}']) {
      this.api.addRoutes({ path, methods: [apigw.HttpMethod.GET, apigw.HttpMethod.POST], integration: apiIntegration, authorizer });
    }

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
    for (const [name, fn] of Object.entries({ ingest, eventIngest, api, slack, clock, dispatcher })) {
      alarm(`${name[0]!.toUpperCase()}${name.slice(1)}ErrorsAlarm`, fn.fn.metricErrors({ period: Duration.minutes(5) }), `The ${name} function reported errors`);
    }

    this.functions = { ingest, eventIngest, api, slack, clock, dispatcher };
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });

    // cdk-nag findings acknowledged, each with its reason.
    for (const fn of Object.values(this.functions)) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch Logs.",
      });
      Validations.of(fn).acknowledge(
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.' },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: 'CDK key grant on the one data key ARN (encrypt/decrypt of table items and secrets).' },
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: 'CDK key grant on the one data key ARN (encrypt/decrypt of table items and secrets).' },
      );
    }
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(clock.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: 'The scheduler role may invoke the clock function and its versions (generated by the LambdaInvoke target).',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'POST /alerts/{source} and /slack/*: monitoring tools and Slack cannot present JWTs; the functions verify the source\'s credentials (bearer token, HMAC, SNS signature, Slack v0 signature with a 5-minute window; constant-time, two valid during a rotation) from Secrets Manager before anything is written. /api/* routes use the Cognito JWT authorizer.',
    });
  }
}
