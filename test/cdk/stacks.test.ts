import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { createTableInput, TABLE_KEYS as K } from '../../lambdas/adapters/dynamo/table-definition.js';
import { StatefulStack } from '../../lib/stateful-stack.js';
import { cliCallbackUrls, StatelessStack } from '../../lib/stateless-stack.js';
import { apiDocument } from '../../lambdas/handlers/api/routes.js';
import { slackAppManifest } from '../../lib/slack-manifest.js';

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
    data.resourceCountIs('AWS::SNS::Topic', 6);
    data.allResourcesProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    data.allResourcesProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    // dead-letter queues keep what failed for 14 days: dispatch, clock, notice planning, notice sends, sweep pages
    expect(Object.keys(data.findResources('AWS::SQS::Queue', { Properties: { MessageRetentionPeriod: 1209600 } }))).toHaveLength(5);
  });

  it('has one Cognito group per role, read by the API from the token', () => {
    for (const role of ['responder', 'dpo', 'legal', 'executive']) data.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
  });

  it('keeps lists of affected people private, KMS-encrypted, access-logged and expiring', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true })] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      // The desk PUTs a large list to the presigned URL: PUT only, from the HTTP API's domain only.
      CorsConfiguration: { CorsRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['https://*.execute-api.eu-west-1.amazonaws.com'], AllowedHeaders: ['*'], MaxAge: 600 }] },
    });
  });

  it('queues notice sends encrypted, with a dead-letter queue after 8 receives and a visibility timeout above the sender timeout', () => {
    data.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 900,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 8 },
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it('queues the pages of a due burst encrypted (ADR 0016), with a dead-letter queue after 5 receives and a visibility timeout of six times the clock timeout', () => {
    data.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 330,
      MessageRetentionPeriod: 86400,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it("reports SES deliveries, bounces and complaints of notice emails to breachclock's topic", () => {
    data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ Enabled: true, MatchingEventTypes: ['delivery', 'bounce', 'complaint', 'reject'], SnsDestination: { TopicARN: Match.anyValue() } }),
    });
    data.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'] })]) },
    });
  });

  it('anchors the audit trail outside the table: an asymmetric signing key, a bucket with Object Lock in compliance mode, and CloudTrail data events for the table and the anchors (issue 24.4)', () => {
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    data.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2190 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const [trail] = Object.values(data.findResources('AWS::CloudTrail::Trail')) as { Properties: { AdvancedEventSelectors: { FieldSelectors: { Field: string; Equals?: string[]; StartsWith?: unknown[] }[] }[]; EnableLogFileValidation: boolean } }[];
    expect(trail!.Properties.EnableLogFileValidation).toBe(true);
    const types = trail!.Properties.AdvancedEventSelectors.map((sel) => sel.FieldSelectors.find((f) => f.Field === 'resources.type')!.Equals);
    expect(types).toEqual([['AWS::DynamoDB::Table'], ['AWS::S3::Object']]);
    expect(JSON.stringify(trail!.Properties.AdvancedEventSelectors[0])).toContain('Table');
    expect(JSON.stringify(trail!.Properties.AdvancedEventSelectors[1])).toContain('TrailAnchors');
  });

  it('matches its snapshot', () => {
    expect(normalised(data)).toMatchSnapshot();
  });
});

describe('stateless stack', () => {
  it('runs every function on Node.js 24, ARM64, with tracing and its own log group', () => {
    compute.resourceCountIs('AWS::Lambda::Function', 12);
    compute.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
    });
    // Every function but the desk's static files and the letter renderer (S3 only, ADR 0019) works on the table.
    const withTable = Object.keys(compute.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) } } }));
    expect(withTable).toHaveLength(10);
    expect(withTable.some((id) => id.startsWith('Dashboard'))).toBe(false);
  });

  it('no bad record stops a consumer (issue 27.5): every stream mapping reports item failures, bisects, retries a bounded number of times and has an on-failure destination; every queue mapping reports item failures', () => {
    const mappings = Object.values(compute.findResources('AWS::Lambda::EventSourceMapping')).map((resource) => (resource as any).Properties);
    const streams = mappings.filter((m) => m.StartingPosition !== undefined);
    const queues = mappings.filter((m) => m.StartingPosition === undefined);
    expect(streams).toHaveLength(3);
    for (const mapping of streams) {
      expect(mapping).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, DestinationConfig: { OnFailure: { Destination: expect.anything() } } });
      expect(mapping.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    expect(queues.length).toBeGreaterThan(0);
    for (const mapping of queues) expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
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

  it('feeds the alert stream (ADR 0011) one event source mapping: attached alerts to count, in batches, and large groups\' chunks', () => {
    // The filters must match what the consumer selects (attachedAlertOf, batchKeyOf): a record the filter
    // drops is never counted; one the consumer ignores costs an invocation for nothing.
    compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['AlertBatch'] } } } }) },
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Delivery'] }, outcome: { S: ['attached'] } } } }) },
        ],
      },
    });
    // Three readers of the table's stream (dispatcher, notice planner, alert stream): DynamoDB Streams
    // throttles a shard read by more than two at once, so no fourth mapping is added lightly.
    expect(Object.keys(compute.findResources('AWS::Lambda::EventSourceMapping', { Properties: { EventSourceArn: Match.anyValue(), StartingPosition: 'TRIM_HORIZON' } }))).toHaveLength(3);
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }], Threshold: 300_000, AlarmDescription: Match.stringLikeRegexp('Alert counts') });
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
    for (const routeKey of ['GET /api/incidents', 'GET /api/incidents/{proxy+}', 'POST /api/incidents/{proxy+}', 'PUT /api/incidents/{proxy+}', 'GET /api/notice-packs']) {
      compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'JWT' });
    }
    for (const routeKey of ['POST /slack/actions', 'POST /slack/commands']) {
      compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    }
    compute.hasResourceProperties('AWS::ApiGatewayV2::Stage', { AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  });

  it('serves the desk without an authorizer from a function with no data access, signing in through a code-flow Cognito client (issue 13.1, 11.8)', () => {
    for (const routeKey of ['GET /dashboard', 'GET /dashboard/{file}']) compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey, AuthorizationType: 'NONE' });
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /api/me', AuthorizationType: 'JWT' });
    const deskUrl = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] }, '/dashboard']] };
    compute.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      CallbackURLs: [deskUrl],
      LogoutURLs: [deskUrl],
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
    // The CLI's client: SRP only, OAuth off, so no hosted-UI flows and no aws.cognito.signin.user.admin scope.
    data.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlowsUserPoolClient: false, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthScopes: Match.absent() });
    // Nobody rewrites who they are: no client may write attributes, and a new email waits for verification (11.1).
    for (const template of [data, compute]) template.allResourcesProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: [] });
    data.hasResourceProperties('AWS::Cognito::UserPool', { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    for (const template of [data, compute]) {
      for (const client of Object.values(template.findResources('AWS::Cognito::UserPoolClient'))) {
        expect(JSON.stringify(client)).not.toContain('aws.cognito.signin.user.admin');
        expect(JSON.stringify(client)).not.toContain('implicit');
      }
    }
    // The desk's function reads nothing: its role has no statement beyond logs and tracing.
    const [, policy] = Object.entries(compute.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('DashboardFunctionServiceRoleDefaultPolicy'))!;
    const actions = (policy as any).Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('gives `breachclock login` a public code-flow client of its own on the fixed loopback callback, accepted by the API, published in config.json (issue 25.3)', () => {
    const clients = compute.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: 'breachclock-cli-login' } });
    expect(Object.keys(clients)).toHaveLength(1);
    const [cliClientId] = Object.keys(clients);
    compute.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'breachclock-cli-login',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['http://localhost:8976/callback'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    // The API's JWT authorizer takes its access tokens (the audience lists every officer client).
    compute.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({ Audience: Match.arrayWith([{ Ref: cliClientId }]) }),
    });
    // config.json (the desk's function) names it and its callbacks: the CLI needs only the API URL.
    compute.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ COGNITO_CLI_CLIENT_ID: { Ref: cliClientId }, COGNITO_CLI_REDIRECT_URIS: 'http://localhost:8976/callback' }) },
    });
    // The desk's CSP lets it reach the recipient list bucket (large lists through the API's presigned URL).
    compute.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DESK_UPLOAD_ORIGIN: Match.stringLikeRegexp('^https://breachclock-.*\\.s3\\.eu-west-1\\.amazonaws\\.com$') }) },
    });
    compute.hasOutput('CliLoginClientId', { Value: { Ref: cliClientId } });
  });

  it('accepts only loopback callbacks for the CLI (cliLoginCallbackUrls)', () => {
    expect(cliCallbackUrls()).toEqual(['http://localhost:8976/callback']);
    expect(cliCallbackUrls(['http://localhost:8976/callback', 'http://localhost:9000/cb'])).toHaveLength(2);
    for (const bad of [[], ['https://localhost:8976/callback'], ['http://127.0.0.1:8976/callback'], ['http://evil.example:8976/callback'], ['http://localhost/callback'], ['http://localhost:8976/'], ['http://localhost:8976/cb?x=1'], ['http://localhost:1/a', 'http://localhost:1/b']]) {
      expect(() => cliCallbackUrls(bad)).toThrow(/cliLoginCallbackUrls/);
    }
  });

  it('keeps the clock from being starved: reserved concurrency per function, per-route throttles, a stopped-clock and an overdue alarm (issue 11.6, 11.11)', () => {
    const reserved = Object.fromEntries(
      Object.entries(compute.findResources('AWS::Lambda::Function')).map(([id, r]) => [id.replace(/Function[0-9A-F]{8}$/, ''), (r as any).Properties.ReservedConcurrentExecutions]),
    );
    expect(reserved).toEqual({ Ingest: 30, IngestBatches: 5, EventIngest: 10, Api: 10, Slack: 10, Clock: 12, Dispatcher: 5, NoticePlanner: 2, NoticeSender: 2, SesEvents: 5, Dashboard: 5, LetterRenderer: 2 });
    const [stage] = Object.values(compute.findResources('AWS::ApiGatewayV2::Stage')) as any[];
    const routes = stage.Properties.RouteSettings;
    expect(routes['POST /alerts/{source}']).toEqual({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 });
    expect(routes['POST /slack/actions']).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    expect(routes['POST /slack/commands']).toEqual({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    // Every route of the API has its own limit (none falls back to the stage-wide default).
    const routeKeys = Object.values(compute.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as any).Properties.RouteKey as string);
    expect(routeKeys.filter((key) => !routes[key])).toEqual([]);
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'breachclock',
      MetricName: 'SweepsCompleted',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      Period: 300,
      TreatMissingData: 'breaching',
      AlarmActions: [Match.anyValue()],
    });
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'breachclock', MetricName: 'LegalClocksOverdue', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, AlarmActions: [Match.anyValue()] });

    // An account with a low quota can turn reservations off.
    const app2 = new App({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    const stateful2 = new StatefulStack(app2, 'S2', { env: { account: '111111111111', region: 'eu-west-1' } });
    const lean = Template.fromStack(new StatelessStack(app2, 'L2', { env: { account: '111111111111', region: 'eu-west-1' }, stateful: stateful2, reservedConcurrency: false }));
    for (const fn of Object.values(lean.findResources('AWS::Lambda::Function'))) expect((fn as any).Properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('proves least privilege per function: exactly these actions, the key only through named services, "*" only where AWS has no resource (issue 11.7)', () => {
    const TABLE = ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    const STREAM = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
    const KEY = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];
    const SECRET = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
    const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
    const SIGN = ['kms:Sign', 's3:GetObject', 's3:ListBucket', 's3:PutObject'];
    const expected: Record<string, { actions: string[]; via: string[]; star: string[] }> = {
      // The trail's anchors (issue 24.4): the API reads them and the signing key's public half; the dispatcher and the clock sign and write them.
      Api: { actions: [...TABLE, 'dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:Query', ...KEY, 'kms:GetPublicKey', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:PutObjectTagging', ...XRAY], via: ['dynamodb', 's3'], star: XRAY },
      // The sweep queue (ADR 0016): the tick sends pages, the same function receives them.
      Clock: { actions: [...TABLE, 'dynamodb:Query', ...KEY, ...SIGN, ...SECRET, 'sns:Publish', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage', ...XRAY], via: ['dynamodb', 'secretsmanager', 'sns', 'sqs'], star: XRAY },
      Dashboard: { actions: XRAY, via: [], star: XRAY },
      Dispatcher: { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', ...STREAM, ...KEY, ...SIGN, ...SECRET, 'sns:Publish', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', ...XRAY], via: ['dynamodb', 'secretsmanager', 'sns', 'sqs'], star: [...XRAY, 'dynamodb:ListStreams'] },
      EventIngest: { actions: [...TABLE, ...KEY, ...XRAY], via: ['dynamodb'], star: XRAY },
      Ingest: { actions: [...TABLE, ...KEY, ...SECRET, ...XRAY], via: ['dynamodb', 'secretsmanager'], star: XRAY },
      IngestBatches: { actions: [...TABLE, 'dynamodb:DeleteItem', ...STREAM, ...KEY, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', ...XRAY], via: ['dynamodb'], star: [...XRAY, 'dynamodb:ListStreams'] },
      NoticePlanner: { actions: [...TABLE, ...STREAM, 'dynamodb:Query', ...KEY, 's3:DeleteObject', 's3:GetObject', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', ...XRAY], via: ['dynamodb', 's3', 'sqs'], star: [...XRAY, 'dynamodb:ListStreams'] },
      LetterRenderer: { actions: [...KEY, 's3:GetObject', 's3:ListBucket', 's3:PutObject', ...XRAY], via: ['s3'], star: XRAY },
      NoticeSender: { actions: [...TABLE, 'dynamodb:Query', ...KEY, 'lambda:InvokeFunction', 's3:DeleteObject', 'ses:SendEmail', 'sns:Publish', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', ...XRAY], via: ['dynamodb', 'sqs'], star: [...XRAY, 'sns:Publish'] },
      // Slack and SES events are invoked asynchronously: sqs:SendMessage is Lambda writing their dead-letter queue.
      SesEvents: { actions: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', ...KEY, 'sqs:SendMessage', ...XRAY], via: ['dynamodb'], star: XRAY },
      Slack: { actions: [...TABLE, 'cognito-idp:AdminListGroupsForUser', 'cognito-idp:ListUsers', 'dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:Query', ...KEY, 'lambda:InvokeFunction', ...SECRET, 'sqs:SendMessage', ...XRAY], via: ['dynamodb', 'secretsmanager'], star: XRAY },
    };
    const actual: typeof expected = {};
    for (const [id, policy] of Object.entries(compute.findResources('AWS::IAM::Policy'))) {
      const match = /^(\w+?)FunctionServiceRoleDefaultPolicy/.exec(id);
      if (!match) continue;
      const statements = (policy as any).Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown; Condition?: any }[];
      const allowed = statements.filter((st) => st.Effect === 'Allow');
      // The data key's grants; the trail signing key's (kms:Sign, kms:GetPublicKey) are direct, on that key only.
      const kms = allowed.filter((st) => [st.Action].flat().some((a) => a.startsWith('kms:') && a !== 'kms:Sign' && a !== 'kms:GetPublicKey'));
      // Every grant on the data key carries kms:ViaService (none unconditioned, e.g. from CDK's event-source grants).
      for (const st of kms) expect(st.Condition?.StringEquals?.['kms:ViaService']).toBeDefined();
      actual[match[1]!] = {
        actions: [...new Set(allowed.flatMap((st) => [st.Action].flat()))].sort(),
        via: kms.flatMap((st) => st.Condition.StringEquals['kms:ViaService'] as string[]).map((v) => v.split('.')[0]!).sort(),
        star: allowed.filter((st) => st.Resource === '*').flatMap((st) => [st.Action].flat()).sort(),
      };
    }
    for (const entry of Object.values(expected)) {
      entry.actions = [...new Set(entry.actions)].sort();
      entry.star = [...entry.star].sort();
    }
    expect(actual).toEqual(expected);
  });

  it('outputs the Slack app manifest from deploy/ with this API\'s URLs, each a route the API serves (issue 11.14)', () => {
    const manifest = slackAppManifest('https://api.example');
    const routeKeys = Object.values(compute.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as any).Properties.RouteKey as string);
    const urls = [(manifest as any).settings.interactivity.request_url, ...(manifest as any).features.slash_commands.map((c: { url: string }) => c.url)];
    expect(urls).toEqual(['https://api.example/slack/actions', 'https://api.example/slack/commands']);
    for (const url of urls) expect(routeKeys).toContain(`POST ${new URL(url).pathname}`);
    expect((manifest as any).oauth_config.scopes.bot).toEqual(['chat:write', 'chat:write.public', 'commands', 'channels:history', 'groups:history']);
    const output = JSON.stringify(compute.findOutputs('SlackAppManifest'));
    expect(output).toContain('/slack/actions');
    expect(output).toContain('ApiEndpoint');
  });

  it('routes only what the API serves: every route (but the {proxy+} ones) is in the OpenAPI document', () => {
    const routeKeys = Object.values(compute.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey);
    const documented = new Set(apiDocument().routes.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    const undocumented = routeKeys.filter((key) => !key.includes('{proxy+}') && !documented.has(key));
    expect(undocumented).toEqual([]);
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

  it('plans notice sends from the stream (notices turning "sending"), sends from the queue at a bounded concurrency, records SES events', () => {
    compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['MODIFY'], dynamodb: { NewImage: { entity: { S: ['Notice'] }, status: { S: ['sending'] } } } }) }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    compute.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', RedrivePolicy: Match.anyValue() });
    compute.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ SES_CONFIGURATION_SET: Match.anyValue(), SES_SEND_RATE: '14', SEND_CONCURRENCY: '2' }) } });
  });

  it('lets only the API and the planner read recipient lists (the sender deletes a completed one), only the sender send email and SMS (never to a topic)', () => {
    const policies = compute.findResources('AWS::IAM::Policy');
    const statementsOf = (fragment: string) => {
      const [, policy] = Object.entries(policies).find(([id]) => id.startsWith(fragment))!;
      return (policy as any).Properties.PolicyDocument.Statement as { Action: string | string[]; Effect: string; Resource: unknown }[];
    };
    const actions = (fragment: string) => statementsOf(fragment).flatMap((st) => [st.Action].flat());
    expect(actions('ApiFunctionServiceRoleDefaultPolicy')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
    // The API lists nothing but the trail anchors and the letters (a prefix of their buckets), never the recipient lists.
    const listed = statementsOf('ApiFunctionServiceRoleDefaultPolicy').filter((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(listed).toHaveLength(2);
    for (const st of listed) {
      const prefix = ((st as { Condition?: { StringLike: { 's3:prefix': string[] } } }).Condition?.StringLike['s3:prefix'] ?? [])[0];
      expect(prefix === 'anchors/*' ? 'breachclock-trail-anchors-' : prefix === 'letters/*' ? 'breachclock-recipient-lists-' : prefix).toEqual(expect.stringMatching(/^breachclock-/));
      expect(JSON.stringify(st.Resource)).toContain(prefix === 'anchors/*' ? 'breachclock-trail-anchors-' : 'breachclock-recipient-lists-');
    }
    expect(actions('NoticePlannerFunctionServiceRoleDefaultPolicy')).toEqual(expect.arrayContaining(['s3:GetObject', 'sqs:SendMessage']));
    expect(actions('NoticeSenderFunctionServiceRoleDefaultPolicy')).toEqual(expect.arrayContaining(['ses:SendEmail', 'sns:Publish']));
    expect(statementsOf('NoticeSenderFunctionServiceRoleDefaultPolicy')).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish' }));
    for (const other of ['IngestFunction', 'ApiFunction', 'ClockFunction', 'SesEventsFunction']) expect(actions(`${other}ServiceRoleDefaultPolicy`)).not.toContain('ses:SendEmail');
    const s3Resources = JSON.stringify(statementsOf('ApiFunctionServiceRoleDefaultPolicy').filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:'))).map((st) => st.Resource));
    expect(s3Resources).toMatch(/breachclock-recipient-lists-111111111111-eu-west-1\/recipients\/\*/);
    // The sender deletes the list of a notice its chunk completes, and nothing else of S3 but under recipients/.
    const senderS3 = statementsOf('NoticeSenderFunctionServiceRoleDefaultPolicy').filter((st) => [st.Action].flat().some((a) => a.startsWith('s3:')));
    expect(senderS3.map((st) => st.Action)).toEqual(['s3:DeleteObject']);
    expect(JSON.stringify(senderS3[0]!.Resource)).toMatch(/breachclock-recipient-lists-111111111111-eu-west-1\/recipients\/\*"/);
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

  it('fans a due burst out to the clock function through its sweep queue: a page at a time, at most 10 at once, failed pages reported; the clock may only send to that queue (ADR 0016)', () => {
    const [clockId, clockFn] = Object.entries(compute.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('ClockFunction'))!;
    expect((clockFn as any).Properties.Environment.Variables.SWEEP_QUEUE_URL).toBeDefined();
    const mappings = Object.values(compute.findResources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify((m as any).Properties.FunctionName).includes(clockId));
    expect(mappings).toHaveLength(1);
    expect((mappings[0] as any).Properties).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 10 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const [, policy] = Object.entries(compute.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('ClockFunctionServiceRoleDefaultPolicy'))!;
    const statements = (policy as any).Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[];
    const send = statements.filter((st) => [st.Action].flat().includes('sqs:SendMessage'));
    expect(send).toHaveLength(1);
    expect(JSON.stringify(send[0]!.Resource)).toContain('SweepQueue');
    const key = statements.find((st) => [st.Action].flat().includes('kms:GenerateDataKey'))!;
    expect(JSON.stringify(key.Condition)).toContain('sqs.eu-west-1.amazonaws.com');
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmDescription: Match.stringLikeRegexp('^A page of due escalation steps failed'), AlarmActions: [Match.anyValue()] });
  });

  it('alarms on dead-lettered deliveries, failed ticks, a lagging stream and function errors', () => {
    compute.resourceCountIs('AWS::CloudWatch::Alarm', 26);
    // A page parked as unconfirmed after a crash (issue 27.1) reaches the operators.
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'breachclock', MetricName: 'DeliveriesUnconfirmed', ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, AlarmActions: [Match.anyValue()] });
    compute.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [Match.anyValue()] });
  });

  it('matches its snapshot', () => {
    expect(normalised(compute)).toMatchSnapshot();
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged findings, and every acknowledgement carries a reason', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(',')}`)).toEqual([]);
      expect(report.success).toBe(true);
    }
  });
});
