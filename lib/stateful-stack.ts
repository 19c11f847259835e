import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
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

  constructor(scope: Construct, id: string, props?: StackProps) {
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
      projectionType: dynamodb.ProjectionType.ALL,
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

    this.userPool = new cognito.UserPool(this, 'Officers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPoolClient = this.userPool.addClient('Api', { authFlows: { userSrp: true }, generateSecret: false });
    // Roles are Cognito groups; the API reads them from the token's cognito:groups claim.
    for (const role of ['responder', 'dpo', 'legal', 'executive']) {
      new cognito.CfnUserPoolGroup(this, `Group${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `breachclock role: ${role} (docs/slack.md, "Who may do what")`,
      });
    }

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
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
    for (const queue of [this.dispatchFailures, this.clockFailures]) {
      Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'These queues are the dead-letter destinations themselves.' });
    }
    const plusTier =
      'Threat protection needs the paid Plus feature plan; officers sign in with MFA required and a strong password policy. Enable it per account where the plan is available.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusTier }, { id: 'AwsSolutions-COG8', reason: plusTier });
  }
}
