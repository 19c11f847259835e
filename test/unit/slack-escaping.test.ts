import fc from 'fast-check';
import { DEFAULT_LADDER } from '../../lambdas/domain/escalation-ladder.js';
import { decide, type Incident } from '../../lambdas/domain/incident.js';
import { escalationMessages, stateChangeMessage } from '../../lambdas/domain/messages.js';
import { evaluateRegimeTimer } from '../../lambdas/domain/regime-escalation.js';
import { confirmView, dismissView, renderIncidentMessage } from '../../lambdas/domain/slack-message.js';
import { anIncident, hoursAfter, T0 } from '../support/fixtures.js';

/** What a planted control sequence looks like in Slack text once it is live (not entity-escaped). */
const LIVE = /<(?:!|@|#|https?:|mailto:)/;
/** breachclock's own mentions come from the ladder configuration and are allowed, at the very start only. */
const stripOwnMentions = (text: string) => text.replace(/^(?:<!here>|<!channel>) /, '');
/** Slack's own date formatting token, which breachclock writes itself. */
const stripDates = (text: string) => text.replace(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>/g, '');

const hostile = fc.oneof(
  fc.constantFrom('<!channel>', '<!here>', '<@U024BE7LH>', '<#C024BE7LR>', '<https://evil.example|click here>', '<mailto:x@y.z|mail>', 'a & b < c > d', '\u202eevil\u0000\u001b[31m'),
  fc.string({ minLength: 1, maxLength: 60 }),
);

/** Every text Slack parses as mrkdwn in blocks or views (plain_text is shown literally and is harmless). */
function mrkdwnOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) mrkdwnOf(item, out);
  else if (value && typeof value === 'object') {
    const node = value as { type?: string; text?: unknown };
    if (node.type === 'mrkdwn' && typeof node.text === 'string') out.push(node.text);
    for (const child of Object.values(value)) mrkdwnOf(child, out);
  }
  return out;
}

function allSlackTexts(incident: Incident, now: Date): string[] {
  const texts: string[] = [];
  const rendered = renderIncidentMessage(incident, now, { incidentUrl: (id) => `https://desk.example/incidents/${id}` });
  texts.push(rendered.text, ...mrkdwnOf(rendered.blocks));
  texts.push(...mrkdwnOf(confirmView(incident, now)), ...mrkdwnOf(dismissView(incident)));
  texts.push(stateChangeMessage(incident, { type: 'incident.opened', at: now.toISOString(), actor: incident.acknowledgedBy ?? 'x', summary: `Acknowledged by ${incident.acknowledgedBy ?? 'x'}` }, now).text);
  for (const step of DEFAULT_LADDER.steps) for (const message of escalationMessages(incident, step, now)) if (message.channel === 'slack') texts.push(message.text);
  const regime = evaluateRegimeTimer({ ...incident, facts: { jurisdictions: [{ code: 'UK', affected: 1 }] } }, { timerId: 'regime.uk-gdpr-art33.ico-notification.overdue', dueAt: hoursAfter(T0, 72).toISOString() }, hoursAfter(T0, 73));
  if ('messages' in regime) for (const message of regime.messages) if (message.channel === 'slack') texts.push(message.text);
  return texts;
}

describe('untrusted text into Slack (issue 15.2)', () => {
  it('property: no mention, channel link, user link or disguised URL from alert or user text reaches Slack unescaped, in any message builder', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (title, actor, source) => {
        let incident = anIncident({ title, source: 'generic' });
        incident = { ...incident, source };
        incident = decide(incident, { type: 'acknowledge' }, `${actor} [slack:U1]`, hoursAfter(T0, 1)).incident;
        for (const text of allSlackTexts(incident, hoursAfter(T0, 2))) {
          const checked = stripDates(stripOwnMentions(text));
          expect(checked).not.toMatch(LIVE);
          expect(checked).not.toMatch(/[\u0000\u001b\u202e]/);
        }
      }),
      { numRuns: 150 },
    );
  });
});
