import { execFileSync } from 'node:child_process';
import { AssetHashType, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { BUNDLE_ENTRY_FILE, copyBundleAssets, lambdaBuildOptions, PROJECT_ROOT } from './bundling.js';

export interface BreachclockFunctionProps {
  /** File under lambdas/handlers/, e.g. "ingest-alert.handler.ts". */
  readonly handlerFile: string;
  readonly description: string;
  readonly memorySize?: number;
  /**
   * Reserved concurrency: a guarantee for the functions the legal clock depends on, a cap for those a flood
   * can reach (docs/deploy.md). Undefined: the account's unreserved pool.
   */
  readonly reservedConcurrentExecutions?: number;
  /** Where asynchronous invocations that failed after Lambda's retries go (functions invoked asynchronously). */
  readonly deadLetterQueue?: sqs.IQueue;
  readonly timeout?: Duration;
  readonly environment?: Readonly<Record<string, string>>;
  readonly logRetention?: logs.RetentionDays;
  /** A fixed name, when the function must refer to itself (asynchronous self-invocation). */
  readonly functionName?: string;
  /**
   * Shell commands that add files beside the bundle (static files the function serves, e.g. the desk's:
   * lib/desk-bundle.ts), given the project directory and the bundle's output directory.
   */
  readonly addToBundle?: (inputDir: string, outputDir: string) => string[];
}

/** AWS services that use the data key on a function's behalf (the kms:ViaService condition). */
export type KeyService = 'dynamodb' | 'secretsmanager' | 'sns' | 'sqs' | 's3';

/** DynamoDB actions a function may need; granted on the table and only the indexes it names. */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:ConditionCheckItem' | 'dynamodb:Query';

/**
 * "A function the way we deploy functions": Node.js 24 on ARM64, bundled by esbuild with the AWS SDK
 * inside (faster cold starts, the SDK version we tested), ESM with source maps, X-Ray tracing, its own
 * log group with a retention, and helpers that set an env var and its least-privilege grant together.
 */
export class BreachclockFunction extends Construct {
  readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: BreachclockFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const entry = `${PROJECT_ROOT}lambdas/handlers/${props.handlerFile}`;
    this.fn = new lambda.Function(this, 'Function', {
      // Bundled by esbuild with code splitting (lib/bundling.ts, ADR 0018 session 11): the asset is a directory,
      // index.mjs and the chunks it loads on first use. CDK's NodejsFunction writes one file (--outfile), so the
      // asset is built here, locally, with the same esbuild the project pins; the hash is the output's.
      code: lambda.Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling below always builds or throws. (Also keys CDK's asset cache per function.)
          image: lambda.Runtime.NODEJS_24_X.bundlingImage,
          command: ['esbuild', props.handlerFile, ...(props.addToBundle ? ['+addToBundle'] : [])],
          local: {
            tryBundle(outputDir: string) {
              const built = buildSync(lambdaBuildOptions(entry, outputDir, { sourcemap: true }));
              copyBundleAssets(built.metafile!, outputDir);
              for (const command of props.addToBundle?.(PROJECT_ROOT.replace(/\/$/, ''), outputDir) ?? []) {
                execFileSync('/bin/sh', ['-c', command], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
              }
              return true;
            },
          },
        },
      }),
      handler: `${BUNDLE_ENTRY_FILE.replace(/\.mjs$/, '')}.handler`,
      description: props.description,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'breachclock',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
    });
  }

  /** Sets TABLE_NAME and grants exactly these actions on the table (and the named indexes) plus the key. */
  bindTable(table: dynamodb.ITable, key: kms.IKey, actions: readonly TableAction[], indexes: readonly string[] = []): this {
    this.fn.addEnvironment('TABLE_NAME', table.tableName);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
      }),
    );
    return this.allowKey(key, 'dynamodb');
  }

  private keyStatement?: iam.PolicyStatement;
  private readonly keyServices = new Set<KeyService>();

  /**
   * Lets the function use the data key, only through the AWS services it works with (kms:ViaService): the
   * role cannot decrypt anything with the key directly. An identity policy on the role, not a key-policy
   * grant: the key lives in the stateful stack and a key-policy entry naming this role would make the stacks
   * depend on each other. Called once per service; one statement lists them all.
   */
  allowKey(key: kms.IKey, ...services: KeyService[]): this {
    for (const service of services) this.keyServices.add(service);
    if (!this.keyStatement) {
      const region = Stack.of(this).region;
      this.keyStatement = new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': Lazy.list({ produce: () => [...this.keyServices].sort().map((s) => `${s}.${region}.amazonaws.com`) }) } },
      });
      this.fn.addToRolePolicy(this.keyStatement);
    }
    return this;
  }

  /** Grants publishing to these SNS topics (encrypted with the data key). */
  allowPublish(topicArns: readonly string[], key: kms.IKey): this {
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [...topicArns] }));
    return this.allowKey(key, 'sns');
  }

  /** Sets an env var to a secret's ARN and grants reading exactly that secret (decrypted with the data key). */
  bindSecret(envName: string, secret: { secretArn: string }, key: kms.IKey): this {
    this.fn.addEnvironment(envName, secret.secretArn);
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secret.secretArn] }),
    );
    return this.allowKey(key, 'secretsmanager');
  }

  get region(): string {
    return Stack.of(this).region;
  }
}
