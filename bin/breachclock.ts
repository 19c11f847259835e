import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { StatefulStack } from '../lib/stateful-stack.js';
import { StatelessStack } from '../lib/stateless-stack.js';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const context = (name: string): unknown => app.node.tryGetContext(name);
/** A JSON context value: an object in cdk.json, or a string given with -c on the command line. */
const json = (name: string): string | undefined => {
  const value = context(name);
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
};
const stateful = new StatefulStack(app, 'BreachclockStateful', {
  env,
  description: 'breachclock: table, key, topics, secrets, queues, user pool, recipient lists, SES configuration set',
  ...(context('sesIdentity') ? { sesIdentity: String(context('sesIdentity')) } : {}),
  ...(context('recipientListRetentionDays') ? { recipientListRetentionDays: Number(context('recipientListRetentionDays')) } : {}),
  ...(context('trailAnchorRetentionDays') ? { trailAnchorRetentionDays: Number(context('trailAnchorRetentionDays')) } : {}),
});
new StatelessStack(app, 'BreachclockStateless', {
  env,
  description: 'breachclock: functions, HTTP API, clock schedule, stream dispatcher, notice planner and sender, alarms',
  stateful,
  ...(app.node.tryGetContext('escalationLadder') ? { escalationLadder: JSON.stringify(app.node.tryGetContext('escalationLadder')) } : {}),
  ...(app.node.tryGetContext('taskTemplates') ? { taskTemplates: JSON.stringify(app.node.tryGetContext('taskTemplates')) } : {}),
  ...(app.node.tryGetContext('publicBaseUrl') ? { publicBaseUrl: String(app.node.tryGetContext('publicBaseUrl')) } : {}),
  ...(app.node.tryGetContext('routingRules') ? { routingRules: JSON.stringify(app.node.tryGetContext('routingRules')) } : {}),
  ...(app.node.tryGetContext('slackRoles') ? { slackRoles: JSON.stringify(app.node.tryGetContext('slackRoles')) } : {}),
  ...(String(app.node.tryGetContext('snsSignatureVersion2')) === 'true' ? { snsSignatureVersion2: true } : {}),
  ...(app.node.tryGetContext('snsAllowedTopicArns') ? { snsAllowedTopicArns: [app.node.tryGetContext('snsAllowedTopicArns')].flat().map(String) } : {}),
  ...(json('organisation') ? { organisation: json('organisation')! } : {}),
  ...(context('noticeFromEmail') ? { noticeFromEmail: String(context('noticeFromEmail')) } : {}),
  ...(context('sesSendRate') ? { sesSendRate: Number(context('sesSendRate')) } : {}),
  ...(context('sendConcurrency') ? { sendConcurrency: Number(context('sendConcurrency')) } : {}),
  ...(context('signInDomainPrefix') ? { signInDomainPrefix: String(context('signInDomainPrefix')) } : {}),
  // -c cliLoginCallbackUrls='["http://localhost:8976/callback","http://localhost:9876/callback"]' (or one URL).
  ...(context('cliLoginCallbackUrls') !== undefined
    ? { cliLoginCallbackUrls: [typeof context('cliLoginCallbackUrls') === 'string' && String(context('cliLoginCallbackUrls')).startsWith('[') ? JSON.parse(String(context('cliLoginCallbackUrls'))) : context('cliLoginCallbackUrls')].flat().map(String) }
    : {}),
  // -c reservedConcurrency=false (new accounts with a low quota), or a JSON map such as {"ingest":50}.
  ...(context('reservedConcurrency') !== undefined
    ? { reservedConcurrency: ['false', false].includes(context('reservedConcurrency') as string | boolean) ? false : JSON.parse(json('reservedConcurrency')!) }
    : {}),
  ...(json('routeThrottles') ? { routeThrottles: JSON.parse(json('routeThrottles')!) } : {}),
});
Tags.of(app).add('app', 'breachclock');
// cdk-nag AwsSolutions and Serverless run on every synth; an unacknowledged finding stops it.
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  new ServerlessChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
);
