import { loadConfig } from '../../lambdas/shared/config.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';
import { cachedSecret, parseIngestCredentials, parseSecretList, parseSlackSettings } from '../../lambdas/shared/secrets.js';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { matchesAnySecret } from '../../lambdas/shared/http.js';

describe('configuration', () => {
  it('loads defaults: the default ladder, JWT auth, 400 days of alert retention', () => {
    const config = loadConfig({ TABLE_NAME: 't' });
    expect(config).toMatchObject({ tableName: 't', apiAuth: 'jwt', alertRetentionDays: 400, maxAlertBytes: 1_048_576 });
    expect(config.ladder.steps).toHaveLength(5);
  });

  it('names every problem in a bad environment', () => {
    let error: unknown;
    try {
      loadConfig({ API_AUTH: 'basic', SNS_TOPIC_ARNS: '{"dpo":"not-an-arn"}', ALERT_RETENTION_DAYS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/TABLE_NAME/);
    expect((error as Error).message).toMatch(/API_AUTH/);
    expect((error as Error).message).toMatch(/ALERT_RETENTION_DAYS/);
  });

  it('rejects a ladder that is not JSON or not valid, and topic maps that are not SNS ARNs', () => {
    expect(() => loadConfig({ TABLE_NAME: 't', ESCALATION_LADDER: '{' })).toThrow(/ESCALATION_LADDER is not JSON/);
    expect(() => loadConfig({ TABLE_NAME: 't', ESCALATION_LADDER: '{"clock":"gdpr-art33","steps":[]}' })).toThrow(/Invalid escalation ladder/);
    expect(() => loadConfig({ TABLE_NAME: 't', SNS_TOPIC_ARNS: '{"dpo":"x"}' })).toThrow(/must be an SNS topic ARN/);
    // Task templates (issue 16): validated at start, every problem named; the defaults when unset.
    expect(() => loadConfig({ TABLE_NAME: 't', TASK_TEMPLATES: '{"kinds":{"k":{"label":"Kind","tasks":[{"id":"a","title":"Task","phase":"contain","role":"responder","due":{"after":"1w"}}]}},"regimes":{"gdpr-art99":[]}}' })).toThrow(
      /Invalid task templates: kinds\.k\.tasks\.0\.due\.after: .*"1w" is not a duration.*; regimes\.gdpr-art99: not a regime breachclock knows/,
    );
    expect(Object.keys(loadConfig({ TABLE_NAME: 't' }).tasks.kinds)).toContain('ransomware');
    expect(loadConfig({ TABLE_NAME: 't', TASK_TEMPLATES: '{"kinds":{"insider":{"label":"Insider misuse","tasks":[]}}}' }).tasks.kinds).toEqual({ insider: { label: 'Insider misuse', keywords: [], tasks: [] } });
    expect(() => loadConfig({ TABLE_NAME: 't', API_AUTH: 'token' })).toThrow(/needs API_TOKENS/);
  });

  it('reads token lists from the secret formats the stack generates and operators rotate to', () => {
    expect(parseSecretList('{"token":"abc"}')).toEqual(['abc']);
    expect(parseSecretList('{"tokens":["new","old"]}')).toEqual(['new', 'old']);
    expect(parseSecretList('{"url":""}')).toEqual([]);
    expect(parseSecretList(' a, b ,')).toEqual(['a', 'b']);
  });

  it('reads per-source ingest credentials and Slack settings from their secrets', () => {
    expect(parseIngestCredentials('{"tokens":["a","b"],"sentryClientSecrets":["s"],"pagerdutyRoutingKeys":["k",""],"pagerdutyWebhookSecrets":["w"]}')).toEqual({ tokens: ['a', 'b'], sentryClientSecrets: ['s'], pagerdutyRoutingKeys: ['k'], pagerdutyWebhookSecrets: ['w'] });
    expect(parseSlackSettings('{"botToken":"xoxb-1","channel":"C1","signingSecrets":["new"],"signingSecret":"old","url":""}')).toEqual({ botToken: 'xoxb-1', channel: 'C1', signingSecrets: ['new', 'old'] });
  });

  it('caches a secret for five minutes, then reads it again (rotation without redeploy)', async () => {
    let reads = 0;
    const client = { send: async () => ({ SecretString: `{"tokens":["t${++reads}"]}` }) } as unknown as SecretsManagerClient;
    let now = 0;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const read = cachedSecret('arn:x', parseSecretList, client);
      expect(await read()).toEqual(['t1']);
      now = 299_999;
      expect(await read()).toEqual(['t1']);
      now = 300_001;
      expect(await read()).toEqual(['t2']);
    } finally {
      Date.now = realNow;
    }
  });

  it('matches a bearer token against any of the valid ones, and never an empty one', () => {
    expect(matchesAnySecret('old', ['new', 'old'])).toBe(true);
    expect(matchesAnySecret('nope', ['new', 'old'])).toBe(false);
    expect(matchesAnySecret('', [''])).toBe(false);
    expect(matchesAnySecret(undefined, ['x'])).toBe(false);
  });
});

describe('local stack defaults (issue 11.9)', () => {
  it('makes nobody a DPO by default but the two named demo users', async () => {
    const { LOCAL_SLACK_ROLES } = await import('../../local/local-stack.js');
    const { parseRoleMap } = await import('../../lambdas/domain/roles.js');
    const roles = parseRoleMap(JSON.parse(JSON.stringify(LOCAL_SLACK_ROLES)));
    expect(roles.rolesOf('U0SOMEBODY')).toEqual(['responder']);
    expect(roles.rolesOf('U0LOCALDPO1')).toEqual(['dpo']);
    expect(roles.rolesOf('U0LOCALDPO2')).toEqual(['dpo']);
  });
  it('reads the Slack workspace and app (issue 24.5) from SLACK_TEAM_ID / SLACK_APP_ID or the role mapping, and refuses two that differ', () => {
    expect(loadConfig({ TABLE_NAME: 't' }).slackWorkspace).toBeUndefined();
    expect(loadConfig({ TABLE_NAME: 't', SLACK_TEAM_ID: 'T0123ABC', SLACK_APP_ID: 'A0456DEF' }).slackWorkspace).toEqual({ teamId: 'T0123ABC', appId: 'A0456DEF' });
    expect(loadConfig({ TABLE_NAME: 't', SLACK_ROLES: '{"teamId":"T0123ABC","users":{"U024BE7LH":["dpo"]}}' }).slackWorkspace).toEqual({ teamId: 'T0123ABC' });
    expect(() => loadConfig({ TABLE_NAME: 't', SLACK_TEAM_ID: 'T0123ABC', SLACK_ROLES: '{"teamId":"T0999","users":{}}' })).toThrow(/SLACK_TEAM_ID.*SLACK_ROLES/);
    expect(() => loadConfig({ TABLE_NAME: 't', SLACK_TEAM_ID: 'acme' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ TABLE_NAME: 't', SLACK_APP_ID: 'A0456DEF' })).toThrow(/SLACK_APP_ID without .*team/i);
  });

  it('the Slack function on AWS does not start without its workspace (issue 24.5); locally it may', async () => {
    const { slackWorkspaceOf } = await import('../../lambdas/handlers/slack-runtime.js');
    expect(() => slackWorkspaceOf(loadConfig({ TABLE_NAME: 't' }), true)).toThrow(/SLACK_TEAM_ID/);
    expect(slackWorkspaceOf(loadConfig({ TABLE_NAME: 't' }), false)).toBeUndefined();
    expect(slackWorkspaceOf(loadConfig({ TABLE_NAME: 't', SLACK_TEAM_ID: 'T0123ABC' }), true)).toEqual({ teamId: 'T0123ABC' });
  });
});
