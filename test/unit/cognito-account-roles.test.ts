import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoAccountRoles } from '../../lambdas/adapters/cognito-account-roles.js';

/** The adapter against an endpoint speaking Cognito's JSON protocol (no Cognito runs locally). */
describe('CognitoAccountRoles', () => {
  let server: Server;
  let endpoint: string;
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const users: Record<string, { Username: string; Enabled: boolean; groups: string[][] }> = {
    'sub-dana': { Username: 'dana@shop.example', Enabled: true, groups: [['dpo', 'auditors'], ['legal']] },
    'sub-gone': { Username: 'gone@shop.example', Enabled: false, groups: [['dpo']] },
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target']).split('.').pop()!;
        const body = JSON.parse(raw) as Record<string, unknown>;
        calls.push({ target, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        if (target === 'ListUsers') {
          const sub = /^sub = "(.*)"$/.exec(String(body.Filter))?.[1] ?? '';
          const user = users[sub];
          res.end(JSON.stringify({ Users: user ? [{ Username: user.Username, Enabled: user.Enabled }] : [] }));
          return;
        }
        const user = Object.values(users).find((u) => u.Username === body.Username)!;
        const page = body.NextToken ? Number(body.NextToken) : 0;
        res.end(JSON.stringify({ Groups: user.groups[page]!.map((GroupName) => ({ GroupName })), ...(page + 1 < user.groups.length ? { NextToken: String(page + 1) } : {}) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const client = () => new CognitoIdentityProviderClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } });

  it("answers an account's role groups (every page), ignoring groups that are not roles", async () => {
    expect(await new CognitoAccountRoles(client(), 'eu-west-1_pool').rolesOf('cognito:sub-dana')).toEqual(['dpo', 'legal']);
    expect(calls.map((c) => c.target)).toEqual(['ListUsers', 'AdminListGroupsForUser', 'AdminListGroupsForUser']);
    expect(calls[0]!.body).toMatchObject({ UserPoolId: 'eu-west-1_pool', Filter: 'sub = "sub-dana"' });
  });

  it('has no roles for a disabled or unknown account, or one that is not a Cognito subject', async () => {
    const roles = new CognitoAccountRoles(client(), 'eu-west-1_pool');
    expect(await roles.rolesOf('cognito:sub-gone')).toBeUndefined();
    expect(await roles.rolesOf('cognito:sub-nobody')).toBeUndefined();
    expect(await roles.rolesOf('dana')).toBeUndefined();
  });

  it('keeps an answer a minute, then asks again', async () => {
    let now = 0;
    const roles = new CognitoAccountRoles(client(), 'eu-west-1_pool', 60_000, () => now);
    calls.length = 0;
    await roles.rolesOf('cognito:sub-dana');
    now = 59_000;
    await roles.rolesOf('cognito:sub-dana');
    expect(calls.filter((c) => c.target === 'ListUsers')).toHaveLength(1);
    now = 61_000;
    await roles.rolesOf('cognito:sub-dana');
    expect(calls.filter((c) => c.target === 'ListUsers')).toHaveLength(2);
  });
});
