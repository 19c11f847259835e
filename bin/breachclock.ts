import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from '../lib/stateful-stack.js';
import { StatelessStack } from '../lib/stateless-stack.js';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
const stateful = new StatefulStack(app, 'BreachclockStateful', { env, description: 'breachclock: table, key, topics, secrets, queues, user pool' });
new StatelessStack(app, 'BreachclockStateless', {
  env,
  description: 'breachclock: functions, HTTP API, clock schedule, stream dispatcher, alarms',
  stateful,
  ...(app.node.tryGetContext('escalationLadder') ? { escalationLadder: JSON.stringify(app.node.tryGetContext('escalationLadder')) } : {}),
  ...(app.node.tryGetContext('publicBaseUrl') ? { publicBaseUrl: String(app.node.tryGetContext('publicBaseUrl')) } : {}),
  ...(app.node.tryGetContext('routingRules') ? { routingRules: JSON.stringify(app.node.tryGetContext('routingRules')) } : {}),
  ...(app.node.tryGetContext('slackRoles') ? { slackRoles: JSON.stringify(app.node.tryGetContext('slackRoles')) } : {}),
  ...(app.node.tryGetContext('snsAllowedTopicArns') ? { snsAllowedTopicArns: [app.node.tryGetContext('snsAllowedTopicArns')].flat().map(String) } : {}),
});
Tags.of(app).add('app', 'breachclock');
// cdk-nag AwsSolutions runs on every synth; an unacknowledged finding stops it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
