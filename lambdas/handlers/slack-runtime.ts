import { SlackWebApi } from '../adapters/delivery/slack-web-api.js';
import type { SlackDeps, SlackJob } from '../app/slack-interactions.js';
import { ConfigurationError } from '../domain/errors.js';
import type { Config, SlackWorkspace } from '../shared/config.js';
import { cachedSecret, parseSlackSettings } from '../shared/secrets.js';
import { signSlackJob } from '../shared/slack-signature.js';
import { onceAsync } from '../domain/once.js';
import { noticeDeps } from './notice-runtime.js';
import { buildRuntime } from './runtime.js';
import { onFirstUse } from './on-first-use.js';
import type { AccountRoles } from '../ports/account-roles.js';

/**
 * The Cognito client only for a Slack user linked to an account, the Lambda client only to queue a job: each a
 * chunk loaded on its first use, not compiled at every cold start (code splitting, ADR 0018 session 11).
 */
function cognitoAccountRoles(userPoolId: string): AccountRoles {
  return onFirstUse<AccountRoles>(async () => {
    const [{ CognitoIdentityProviderClient }, { CognitoAccountRoles }] = await Promise.all([import('@aws-sdk/client-cognito-identity-provider'), import('../adapters/cognito-account-roles.js')]);
    return new CognitoAccountRoles(new CognitoIdentityProviderClient({}), userPoolId);
  }, ['rolesOf']);
}

const lambdaInvoker = onceAsync(async () => {
  const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
  return { client: new LambdaClient({}), InvokeCommand };
});

/**
 * The workspace the Slack function answers (issue 24.5). On AWS it is required: a function that answered any
 * workspace signing with the app's secret would take a stranger's user id for one of ours, so it does not
 * start without SLACK_TEAM_ID (or "teamId" in the role mapping). Locally, unset means any workspace.
 */
export function slackWorkspaceOf(config: Config, onAws: boolean): SlackWorkspace | undefined {
  if (!config.slackWorkspace && onAws) {
    throw new ConfigurationError('The Slack function needs its workspace', ['SLACK_TEAM_ID (or "teamId" in the slackRoles mapping): the team id of the Slack workspace whose requests are answered, docs/slack.md']);
  }
  return config.slackWorkspace;
}

/**
 * Slack function's cold start: settings from the Slack secret, jobs run by invoking this function again
 * asynchronously. Returns the dependencies; slack.handler.ts builds the HTTP handler (no import circle).
 */
export function buildSlackRuntime() {
  const runtime = buildRuntime();
  const { config } = runtime;
  const workspace = slackWorkspaceOf(config, Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME));
  const settings = config.slackWebhookSecretArn ? cachedSecret(config.slackWebhookSecretArn, parseSlackSettings) : undefined;
  const web = new SlackWebApi(async () => (settings ? (await settings()).botToken : config.slackBotToken));
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const signingSecrets = settings ? async () => (await settings()).signingSecrets : async () => config.slackSigningSecrets;
  const deps: SlackDeps = {
    store: runtime.store,
    clock: runtime.clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext: runtime.messageContext,
    roles: config.slackRoles,
    ...(config.userPoolId ? { accountRoles: cognitoAccountRoles(config.userPoolId) } : {}),
    web,
    once: (key) => runtime.store.rememberOnce(key, 86_400, runtime.clock.now()),
    notices: noticeDeps(runtime, {}),
    enqueue: async (job: SlackJob) => {
      if (!functionName) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set');
      // Signed (issue 24.5): the handler runs only jobs this function made, never one another invoker wrote.
      const event = { breachclockSlackJob: signSlackJob(job, await signingSecrets(), new Date()) };
      const { client, InvokeCommand } = await lambdaInvoker();
      await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    },
  };
  return { deps, signingSecrets, ...(workspace ? { workspace } : {}) };
}
