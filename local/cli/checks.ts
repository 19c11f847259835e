import { Option, type Command } from 'commander';
import { incidentPath, safe, type Client } from './client.js';

/** Checking a stack: alert (a test alert in) and smoke (a deployment end to end). */
export function registerCheckCommands(program: Command, client: Client): void {
  const { call, out, baseUrl, localSetting } = client;

  program
    .command('alert')
    .description('send a test alert to /alerts/generic (with the ingest token)')
    .requiredOption('--title <title>', 'what happened')
    .addOption(new Option('--severity <severity>').choices(['critical', 'high', 'medium', 'low', 'info']).default('high'))
    .requiredOption('--fingerprint <fingerprint>', 'the same fingerprint attaches to the same open incident')
    .option('--ingest-token <token>', 'the ingest token (default: the local stack\'s)')
    .action(async (options: { title: string; severity: string; fingerprint: string; ingestToken?: string }) => {
      const answer = await call('POST', '/alerts/generic', { title: options.title, severity: options.severity, fingerprint: options.fingerprint, observedAt: new Date().toISOString() }, { token: options.ingestToken ?? localSetting('ingestToken') });
      out(answer, () => console.log(`${answer.outcome}: ${answer.incidentId ?? 'recorded only'} (alert ${answer.alertId}${answer.deduplicated ? ', deduplicated' : ''})`));
    });

  program
    .command('smoke')
    .description('check a deployment end to end: who you are, the API description, the desk, an alert in, its incident and clock (exit 1 on any failure)')
    .option('--ingest-token <token>', "an ingest token (default: the local stack's)")
    .action(async (options: { ingestToken?: string }) => {
      const checks: { check: string; ok: boolean; detail: string }[] = [];
      const step = async (check: string, run: () => Promise<string>) => {
        try {
          checks.push({ check, ok: true, detail: await run() });
        } catch (error) {
          checks.push({ check, ok: false, detail: error instanceof Error ? error.message : String(error) });
        }
      };
      await step('GET /api/me', async () => {
        const me = await call('GET', '/api/me');
        if (!me.roles.length) throw new Error(`${me.actor} has no role: add the user to a Cognito group (responder, dpo, legal, executive)`);
        return `${safe(me.actor)}: ${me.roles.join(', ')}`;
      });
      await step('GET /api/openapi.json', async () => `OpenAPI ${(await call('GET', '/api/openapi.json')).openapi}`);
      await step('GET /dashboard', async () => {
        const response = await fetch(`${baseUrl()}/dashboard`);
        if (!response.ok || !response.headers.get('content-security-policy')) throw new Error(`${response.status}, content-security-policy ${response.headers.get('content-security-policy') ? 'set' : 'missing'}`);
        const config = (await fetch(`${baseUrl()}/dashboard/config.json`).then((r) => r.json())) as { auth: string };
        return `${response.status}, ${config.auth} sign-in`;
      });
      let incidentId: string | undefined;
      await step('POST /alerts/generic', async () => {
        const fingerprint = `smoke-test/${new Date().toISOString()}`;
        const answer = await call('POST', '/alerts/generic', { title: 'breachclock smoke test (dismiss me)', severity: 'low', fingerprint, observedAt: new Date().toISOString(), labels: { smoke_test: 'true' } }, { token: options.ingestToken ?? localSetting('ingestToken') });
        incidentId = answer.incidentId;
        if (!incidentId) throw new Error(`accepted but ${answer.outcome}: the routing rules did not open an incident for a generic alert`);
        return `${answer.outcome} ${incidentId}`;
      });
      if (incidentId) {
        await step('GET the incident and its GDPR clock', async () => {
          const { incident } = await call('GET', incidentPath(incidentId!));
          const clock = incident.clocks?.[0];
          if (!clock?.dueAt) throw new Error('no GDPR clock on the incident');
          return `${incident.status}, due ${clock.dueAt}`;
        });
        await step('verify its audit trail', async () => {
          const trail = await call('GET', `${incidentPath(incidentId!)}/trail`);
          if (!trail.ok) throw new Error('trail broken');
          return `${trail.events} events intact`;
        });
      }
      // The test incident pages like any other: dismissed at once when the caller may (the DPO), else said.
      let dismissed = false;
      if (incidentId && checks.every((c) => c.ok)) {
        await step('dismiss the test incident', async () => {
          await call('POST', `${incidentPath(incidentId!)}/actions`, { action: 'dismiss', reason: 'breachclock smoke test: not a breach' });
          dismissed = true;
          return 'dismissed';
        });
        if (!dismissed) checks.pop(); // not a DPO: not a failure of the deployment
      }
      out({ ok: checks.every((c) => c.ok), incidentId: incidentId ?? null, dismissed, checks }, () => {
        for (const c of checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${safe(c.detail)}`);
        if (incidentId && !dismissed) console.log(`(a DPO dismisses the test incident: breachclock dismiss ${incidentId} "smoke test")`);
      });
      if (!checks.every((c) => c.ok)) process.exitCode = 1;
    });
}
