import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createTableInput, TABLE_KEYS as K } from '../../lambdas/adapters/dynamo/table-definition.js';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { StatelessStack } from '../../lib/stateless-stack.js';

const app = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
const stateful = new StatefulStack(app, 'TestStateful', { env: { account: '111111111111', region: 'eu-west-1' } });
const stateless = new StatelessStack(app, 'TestStateless', {
  env: { account: '111111111111', region: 'eu-west-1' },
  stateful,
  snsAllowedTopicArns: ['arn:aws:sns:eu-west-1:111111111111:alarms'],
});
const data = Template.fromStack(stateful);
const compute = Template.fromStack(stateless);

/** Asset hashes change with every code change; the snapshot is about the infrastructure. */
function normalised(template: Template): unknown {
  return JSON.parse(
    JSON.stringify(template.toJSON())
      .replace(/[0-9a-f]{64}(\.zip)?/g, '[ASSET]')
      .replace(/"S3Bucket":"[^"]*"/g, '"S3Bucket":"[BUCKET]"'),
  );
}

describe('stateful stack', () => {
  it('declares the table exactly as the local stack creates it: keys, sparse due/open indexes, stream, TTL', () => {
    const local = createTableInput('x');
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: local.KeySchema,
      AttributeDefinitions: Match.arrayWith(local.AttributeDefinitions!.map((a) => Match.objectLike(a))),
      GlobalSecondaryIndexes: Match.arrayWith(
        local.GlobalSecondaryIndexes!.map((index) => Match.objectLike({ IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection })),
      ),
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: K.ttlAttribute, Enabled: true },
    });
  });

  it('encrypts with a rotating customer key, keeps point-in-time recovery, protects and retains the table', () => {
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('has KMS-encrypted escalation topics and dead-letter queues', () => {
    data.resourceCountIs('AWS::SNS::Topic', 5);
    data.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    data.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
  });

  it('has one Cognito group per role, read by the API from the token', () => {
    for (const role of ['responder', 'dpo', 'legal', 'executive']) data.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
  });

  it('matches its snapshot', () => {
    expect(normalised(data)).toMatchSnapshot();
  });
});

describe('stateless stack', () => {
  it('runs every function on Node.js 24, ARM64, with tracing and its own log group', () => {
    compute.resourceCountIs('AWS::Lambda::Function', 6);
    compute.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('feeds the dispatcher from the stream with bisect-on-error, bounded retries, a maximum age, a DLQ and an outbox filter', () => {
    compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Outbox'] } } } }) }] },
    });
  });

  it('sends GuardDuty and Security Hub findings from EventBridge to the event ingest function, with retries and a DLQ', () => {
    compute.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.guardduty', 'aws.securityhub'], 'detail-type': ['GuardDuty Finding', 'Security Hub Findings - Imported'] },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 } })],
    });
    compute.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SNS_ALLOWED_TOPIC_ARNS: 'arn:aws:sns:eu-west-1:111111111111:alarms', INGEST_TOKENS_SECRET_ARN: Match.anyValue() }) },
    });
  });

  it('ticks the clock every minute through EventBridge Scheduler with a dead-letter queue', () => {
    compute.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() }, RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 } }),
    });
  });

  it('routes alerts without an API Gateway authorizer (bearer checked in the function) and /api/* behind the JWT authorizer', () => {
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /alerts/{source}', AuthorizationType: 'NONE' });
    for (const routeKey of ['GET /api/incidents', 'GET /api/incidents/{proxy+}', 'POST /api/incidents/{proxy+}']) {
      compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'JWT' });
    }
    for (const routeKey of ['POST /slack/actions', 'POST /slack/commands']) {
      compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    }
    compute.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });

  it('grants each function only the DynamoDB actions it uses, never a wildcard and never Scan', () => {
    const policies = compute.findResources('AWS::IAM::Policy');
    const actionsOf = (fragment: string): string[] => {
      const [, policy] = Object.entries(policies).find(([id]) => id.startsWith(fragment))!;
      return (policy as any).Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    };
    const ingest = actionsOf('IngestFunctionServiceRoleDefaultPolicy');
    expect(ingest).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'secretsmanager:GetSecretValue']));
    expect(ingest).not.toContain('dynamodb:Query');
    expect(ingest).not.toContain('sns:Publish');
    const dispatcher = actionsOf('DispatcherFunctionServiceRoleDefaultPolicy');
    expect(dispatcher).toContain('sns:Publish');
    expect(dispatcher).not.toContain('dynamodb:PutItem');
    for (const policy of Object.values(policies)) {
      const actions = (policy as any).Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
      expect(actions).not.toContain('dynamodb:*');
      expect(actions).not.toContain('dynamodb:Scan');
    }
  });

  it('lets the Slack function invoke only itself, asynchronously, for queued work', () => {
    compute.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'TestStateless-slack', Environment: { Variables: Match.objectLike({ SLACK_WEBHOOK_SECRET_ARN: Match.anyValue() }) } });
    compute.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':function:TestStateless-slack$')])] } }),
        ]),
      },
    });
  });

  it('alarms on dead-lettered deliveries, failed ticks, a lagging stream and function errors', () => {
    compute.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    compute.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [Match.anyValue()] });
  });

  it('matches its snapshot', () => {
    expect(normalised(compute)).toMatchSnapshot();
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged findings, and every acknowledgement carries a reason', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
