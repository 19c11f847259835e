import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_KEYS as K } from '../lambdas/adapters/dynamo/table-definition.js';

/** Logical SNS topics the escalation ladder can target (config maps each to its ARN). */
export const ESCALATION_TOPICS = ['responders', 'dpo', 'legal', 'executives'] as const;

/**
 * Everything that keeps data: the table, the key, topics with their subscribers, secrets, queues holding
 * failed deliveries, the user pool. Retained on stack deletion; the stateless stack can be replaced freely.
 */
/** The recipient-list bucket's name: one per account and region. */
export function recipientBucketName(account: string, region: string): string {
  return `breachclock-recipient-lists-${account}-${region}`;
}

/** The trail-anchor bucket's name: one per account and region. */
export function trailAnchorBucketName(account: string, region: string): string {
  return `breachclock-trail-anchors-${account}-${region}`;
}

export interface StatefulStackProps extends StackProps {
  /** Days an uploaded list of affected people is kept before S3 deletes it (default 30). */
  readonly recipientListRetentionDays?: number;
  /** A domain or address to verify as the SES sending identity for notices (else verify one by hand). */
  readonly sesIdentity?: string;
  /**
   * Days each trail anchor is locked in compliance mode (nobody, root included, can delete or overwrite it
   * before then). Default 2,190 (six years: HIPAA's documentation retention, 45 CFR 164.316(b)(2)(i)).
   */
  readonly trailAnchorRetentionDays?: number;
}

export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly topics: Readonly<Record<(typeof ESCALATION_TOPICS)[number], sns.Topic>>;
  readonly operatorsTopic: sns.Topic;
  readonly ingestTokens: secretsmanager.Secret;
  readonly slackWebhook: secretsmanager.Secret;
  readonly dispatchFailures: sqs.Queue;
  readonly clockFailures: sqs.Queue;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Lists of affected people: KMS-encrypted, private, expiring. */
  readonly recipientBucket: s3.Bucket;
  /** Notice send chunks (addresses inside: KMS-encrypted), and the chunks given up on. */
  readonly sendQueue: sqs.Queue;
  readonly sendFailures: sqs.Queue;
  /** The clock's sweep queue: pages of a burst of due items (ids only), consumed by the clock function (ADR 0016); and the pages given up on. */
  readonly sweepQueue: sqs.Queue;
  readonly sweepFailures: sqs.Queue;
  /** Stream records of notices whose planning failed after retries. */
  readonly noticeFailures: sqs.Queue;
  /** SES's configuration set for notices; its event destination publishes to sesEvents. */
  readonly sesConfigurationSet: ses.ConfigurationSet;
  readonly sesEvents: sns.Topic;
  readonly recipientListRetentionDays: number;
  /** Signs the audit trail's heads (asymmetric, ECC P-256): kms:Sign for the anchoring functions only. */
  readonly trailSigningKey: kms.Key;
  /** The signed trail heads, outside the table: Object Lock in compliance mode. */
  readonly trailAnchorBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props?: StatefulStackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'DataKey', {
      description: 'breachclock: incident table, topics, queues and secrets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: K.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: K.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: K.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: K.dueIndex,
      partitionKey: { name: K.duePartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: K.dueSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: K.openIndex,
      partitionKey: { name: K.openPartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: K.openSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    // Every incident, open or not, by month of detection: the Art. 33(5) register.
    this.table.addGlobalSecondaryIndex({
      indexName: K.registerIndex,
      partitionKey: { name: K.registerPartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: K.registerSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    const topic = (id: string, displayName: string) =>
      new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
    this.topics = {
      responders: topic('RespondersTopic', 'breachclock responders'),
      dpo: topic('DpoTopic', 'breachclock DPO'),
      legal: topic('LegalTopic', 'breachclock legal'),
      executives: topic('ExecutivesTopic', 'breachclock executives'),
    };
    this.operatorsTopic = topic('OperatorsTopic', 'breachclock operators (alarms)');

    this.ingestTokens = new secretsmanager.Secret(this, 'IngestTokens', {
      description:
        'breachclock: ingest credentials. JSON {"tokens":[bearer tokens],"sentryClientSecrets":[...],"pagerdutyRoutingKeys":[...]}; two per list are valid during a rotation.',
      encryptionKey: this.key,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'token', excludePunctuation: true, passwordLength: 40 },
    });
    this.slackWebhook = new secretsmanager.Secret(this, 'SlackWebhook', {
      description:
        'breachclock: Slack. JSON {"url":"<incoming webhook>","botToken":"xoxb-…","channel":"C…","signingSecrets":["…"]} (docs/slack.md); a bot token and channel enable the live message.',
      encryptionKey: this.key,
      generateSecretString: { secretStringTemplate: JSON.stringify({ url: '' }), generateStringKey: 'unset', excludePunctuation: true },
    });

    const queue = (id: string) =>
      new sqs.Queue(this, id, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.dispatchFailures = queue('DispatchFailures');
    this.clockFailures = queue('ClockFailures');
    this.noticeFailures = queue('NoticeFailures');
    this.sendFailures = queue('SendFailures');
    this.sendQueue = new sqs.Queue(this, 'SendQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Six times the sender's timeout (AWS's guidance for SQS event sources): a slow chunk is not re-seen.
      visibilityTimeout: Duration.seconds(900),
      deadLetterQueue: { queue: this.sendFailures, maxReceiveCount: 8 },
    });

    this.sweepFailures = queue('SweepFailures');
    this.sweepQueue = new sqs.Queue(this, 'SweepQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      // A page older than this is stale anyway: its items are still in the due index and the next tick hands them out again.
      retentionPeriod: Duration.days(1),
      // Six times the clock's timeout (55 s), AWS's guidance for SQS event sources.
      visibilityTimeout: Duration.seconds(330),
      deadLetterQueue: { queue: this.sweepFailures, maxReceiveCount: 5 },
    });

    this.recipientListRetentionDays = props?.recipientListRetentionDays ?? 30;
    const accessLogs = new s3.Bucket(this, 'RecipientListAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.recipientBucket = new s3.Bucket(this, 'RecipientLists', {
      // A fixed name, so grants in the stateless stack name it without a cross-stack export.
      bucketName: recipientBucketName(this.account, this.region),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'recipient-lists/',
      // The addresses go when the notice is sent (the delivery records are the proof), at the latest here.
      lifecycleRules: [{ expiration: Duration.days(this.recipientListRetentionDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // The desk PUTs a list over 5 MB to the presigned URL the API hands out (the signature is the permission;
      // CORS only lets the desk's page, served from the HTTP API's execute-api domain, read the answer).
      cors: [{ allowedMethods: [s3.HttpMethods.PUT], allowedOrigins: [`https://*.execute-api.${this.region}.amazonaws.com`], allowedHeaders: ['*'], maxAge: 600 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The audit trail's anchors (docs/architecture.md, "What the trail proves"): heads signed with a key the
    // table's writers cannot use, kept where nobody can rewrite them, and every data-plane call on the table and
    // on the anchors recorded by CloudTrail.
    this.trailSigningKey = new kms.Key(this, 'TrailSigningKey', {
      description: 'breachclock: signs audit-trail anchors (kms:Sign for the anchoring functions only)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trailAnchorBucket = new s3.Bucket(this, 'TrailAnchors', {
      // A fixed name, so grants in the stateless stack name it without a cross-stack export.
      bucketName: trailAnchorBucketName(this.account, this.region),
      encryption: s3.BucketEncryption.S3_MANAGED, // ids, positions and hashes: no personal data
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props?.trailAnchorRetentionDays ?? 2_190)),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'trail-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const trailLogs = new s3.Bucket(this, 'DataEventLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data-event-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const dataEvents = new cloudtrail.Trail(this, 'DataEvents', { bucket: trailLogs, enableFileValidation: true, includeGlobalServiceEvents: false, isMultiRegionTrail: false });
    (dataEvents.node.defaultChild as cloudtrail.CfnTrail).advancedEventSelectors = [
      {
        name: 'Every data-plane call on the incident table',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', equalTo: [this.table.tableArn] },
        ],
      },
      {
        name: 'Every data-plane call on the trail anchors',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: [`${this.trailAnchorBucket.bucketArn}/`] },
        ],
      },
    ];

    // SES reports deliveries, bounces and complaints of notice emails to this topic (encrypted with the data key).
    this.sesEvents = topic('SesEventsTopic', 'breachclock notice email events (SES)');
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.sesConfigurationSet = new ses.ConfigurationSet(this, 'NoticeEmails', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.sesConfigurationSet.addEventDestination('ToBreachclock', {
      destination: ses.EventDestination.snsTopic(this.sesEvents),
      events: [ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });
    if (props?.sesIdentity) {
      new ses.EmailIdentity(this, 'NoticeIdentity', {
        identity: props.sesIdentity.includes('@') ? ses.Identity.email(props.sesIdentity) : ses.Identity.domain(props.sesIdentity),
        configurationSet: this.sesConfigurationSet,
      });
    }

    this.userPool = new cognito.UserPool(this, 'Officers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // A changed email takes effect only once verified (people are identified by sub, never by email).
      keepOriginal: { email: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The CLI's and scripts' client: SRP sign-in only, no OAuth (so no hosted-UI flows, no callback and no
    // aws.cognito.signin.user.admin scope); the desk has its own client (stateless stack) with the code flow.
    this.userPoolClient = this.userPool.addClient('Api', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      // Users cannot rewrite their own attributes (email, name) through the app's clients; administrators can.
      writeAttributes: new cognito.ClientAttributes(),
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Roles are Cognito groups; the API reads them from the token's cognito:groups claim.
    for (const role of ['responder', 'dpo', 'legal', 'executive']) {
      new cognito.CfnUserPoolGroup(this, `Group${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `breachclock role: ${role} (docs/slack.md, "Who may do what")`,
      });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'SesConfigurationSet', { value: this.sesConfigurationSet.configurationSetName });
    new CfnOutput(this, 'IngestTokensSecret', { value: this.ingestTokens.secretArn });
    new CfnOutput(this, 'SlackWebhookSecret', { value: this.slackWebhook.secretArn });

    // cdk-nag findings acknowledged, each with its reason (docs/security.md lists them).
    for (const secret of [this.ingestTokens, this.slackWebhook]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Ingest tokens are rotated by the operator with an overlap (two valid tokens) because the monitoring tools holding them are updated by hand; a Slack webhook URL cannot be rotated by a Lambda.',
      });
    }
    Validations.of(this.trailSigningKey).acknowledge({ id: 'AwsSolutions-KMS5', reason: 'KMS does not rotate asymmetric keys; anchors name the key they were signed with, so a new key can be added later.' });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket holds the access logs of the recipient-list bucket; logging it into itself would loop.' });
    for (const queue of [this.dispatchFailures, this.clockFailures, this.noticeFailures, this.sendFailures, this.sweepFailures]) {
      Validations.of(queue).acknowledge(
        { id: 'AwsSolutions-SQS3', reason: 'These queues are the dead-letter destinations themselves.' },
        { id: 'Serverless-SQSRedrivePolicy', reason: 'These queues are the dead-letter destinations themselves.' },
      );
    }
    const plusTier =
      'Threat protection needs the paid Plus feature plan; officers sign in with MFA required and a strong password policy. Enable it per account where the plan is available.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusTier }, { id: 'AwsSolutions-COG8', reason: plusTier });
  }
}
