import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { escalationMessages, stateChangeMessage } from '../../lambdas/domain/messages.js';
import { openIncident } from '../../lambdas/domain/incident.js';
import { hoursAfter, T0 } from '../support/fixtures.js';

describe('messages', () => {
  const { incident, event } = openIncident(
    { id: 'INC-1', title: 'Customer table exported', severity: 'critical', source: 'generic', fingerprint: 'f' },
    T0,
  );

  it('announces a new incident with its provisional GDPR deadline and a link, under a deterministic id', () => {
    const message = stateChangeMessage(incident, event, T0, { incidentUrl: (id) => `https://bc.example/incidents/${id}` });
    expect(message).toMatchObject({ messageId: 'INC-1.incident.opened.v1.slack', channel: 'slack', incidentId: 'INC-1' });
    expect(message.text).toContain('[CRITICAL] INC-1: Customer table exported');
    expect(message.text).toContain('GDPR Art. 33 deadline 2026-03-30T22:30:00Z (3d left, provisional');
    expect(message.text).toContain('Open: https://bc.example/incidents/INC-1');
  });

  it('sends one message per escalation target, with the Slack mention and the SNS topic, subjects within SNS limits', () => {
    const overdueStep = DEFAULT_LADDER.steps.at(-1)!;
    const messages = escalationMessages({ ...incident, title: 'x'.repeat(300) }, overdueStep, hoursAfter(T0, 73));
    expect(messages.map((m) => [m.channel, m.topic])).toEqual([
      ['slack', undefined],
      ['sns', 'responders'],
      ['sns', 'dpo'],
      ['sns', 'legal'],
      ['sns', 'executives'],
    ]);
    expect(messages[0]!.text.startsWith('<!channel> Escalation level 6')).toBe(true);
    expect(messages[1]!.text).toMatch(/PASSED 1h ago: notify now, with reasons for the delay/);
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(5);
    for (const m of messages) expect(m.subject.length).toBeLessThanOrEqual(100);
  });
});
