import { decide } from '../../lambdas/domain/incident.js';
import { authorize, parseRoleMap, PermissionDeniedError } from '../../lambdas/domain/roles.js';
import { renderIncidentMessage, SLACK_ACTIONS } from '../../lambdas/domain/slack-message.js';
import { ConfigurationError } from '../../lambdas/domain/errors.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

const buttonsOf = (blocks: readonly unknown[]) =>
  (blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string }[] } | undefined)?.elements.map((e) => e.action_id) ?? [];

describe('the live Slack message', () => {
  it('shows state, clock and the buttons that still make sense', () => {
    const incident = anIncident({ title: 'Export <script> & co' });
    const { text, blocks } = renderIncidentMessage(incident, hoursAfter(T0, 1), { incidentUrl: (id) => `https://bc.example/i/${id}` });
    expect(text).toContain('INC-TEST-1');
    expect(JSON.stringify(blocks)).toContain('Export &lt;script&gt; &amp; co');
    expect(JSON.stringify(blocks)).toContain('*2d 23h left*');
    expect(buttonsOf(blocks)).toEqual([SLACK_ACTIONS.acknowledge, SLACK_ACTIONS.confirm, SLACK_ACTIONS.dismiss, SLACK_ACTIONS.takeOwnership, SLACK_ACTIONS.open]);
    const acked = decide(incident, { type: 'acknowledge' }, 'alice', T0).incident;
    const after = renderIncidentMessage(acked, hoursAfter(T0, 1));
    expect(JSON.stringify(after.blocks)).toContain('*Acknowledged by:* alice');
    expect(buttonsOf(after.blocks)).toEqual([SLACK_ACTIONS.confirm, SLACK_ACTIONS.dismiss, SLACK_ACTIONS.takeOwnership]);
    const dismissed = decide(acked, { type: 'dismiss', reason: 'Planned penetration test' }, 'dana', T0).incident;
    expect(buttonsOf(renderIncidentMessage(dismissed, T0).blocks)).toEqual([]);
  });

  it('says so when only an incoming webhook is configured (no buttons, no updates)', () => {
    const { blocks } = renderIncidentMessage(anIncident(), T0, { webhookOnly: true });
    expect(buttonsOf(blocks)).toEqual([]);
    expect(JSON.stringify(blocks)).toMatch(/incoming webhook: this message is not updated/);
  });

  it('lists the other regimes\' deadlines once facts are recorded', () => {
    const incident = decide(anIncident(), { type: 'record-facts', facts: { jurisdictions: [{ code: 'EU', affected: 10 }], sectors: { nis2: 'essential' } } }, 'dana', T0).incident;
    const text = JSON.stringify(renderIncidentMessage(incident, hoursAfter(T0, 1)).blocks);
    expect(text).toMatch(/Other deadlines[^"]*Early warning \(CSIRT or competent authority\): due/);
    expect(text).not.toMatch(/Other deadlines[^"]*lead supervisory authority/);
  });

  it('turns overdue after 72 hours', () => {
    expect(JSON.stringify(renderIncidentMessage(anIncident(), hoursAfter(T0, 73)).blocks)).toMatch(/OVERDUE\* by 1h/);
  });
});

describe('roles', () => {
  const roles = parseRoleMap({ users: { U0RESPONDER: ['responder'], U0DPO: ['dpo'] } });

  it('lets responders acknowledge but keeps confirm and dismiss to the DPO', () => {
    expect(() => authorize(roles, 'U0RESPONDER', 'acknowledge')).not.toThrow();
    expect(() => authorize(roles, 'U0RESPONDER', 'confirm')).toThrow('Only the DPO or legal may confirm; your role: responder');
    expect(() => authorize(roles, 'U0RESPONDER', 'dismiss')).toThrow(PermissionDeniedError);
    expect(() => authorize(roles, 'U0DPO', 'dismiss')).not.toThrow();
    expect(() => authorize(roles, 'U0STRANGER', 'acknowledge')).toThrow(/You have no breachclock role/);
  });

  it('rejects a malformed mapping at start', () => {
    expect(() => parseRoleMap({ users: { alice: ['dpo'] } })).toThrow(ConfigurationError);
    expect(() => parseRoleMap({ users: { U0X1: ['admin'] } })).toThrow(/Invalid option/);
  });
});
