import type { IncidentDetailAnswer, RegimeClockView } from '../../contracts/api-answers.js';
import { html } from './html.js';
import { band, formatLeft, time } from './time.js';

import { clockName, regimeShortName } from './clock-names.js';

export { clockName, regimeShortName };
const clockKey = (clock: RegimeClockView): string => `${clock.regime}/${clock.obligation}`;

function chipText(clock: RegimeClockView, now: number): string {
  const b = band(clock, now);
  const what = clockName(clock);
  if (b === 'done') return `${what}: ${clock.status}`;
  if (!clock.dueAt) return `${what}: waiting`;
  const left = Date.parse(clock.dueAt) - now;
  if (b === 'overdue') return `${what}: OVERDUE ${formatLeft(left)}`;
  if (b === 'target') return `${what}: target passed (no legal deadline)`;
  return `${what}: ${formatLeft(left)}`;
}

/** The regime clocks of an incident (the GDPR one first), as countdown chips; `now` ticks every second. */
export function clockChips(clocks: readonly RegimeClockView[], now: number) {
  return html`<div>
    ${clocks.map(
      (clock) =>
        html`<span
          key=${clockKey(clock)}
          data-regime=${clock.regime}
          data-obligation=${clock.obligation}
          class=${`clock band-${band(clock, now)}`}
          title=${`${clock.regimeName}: ${clock.label}${clock.dueAt ? `, ${clock.deadlineKind === 'target' ? 'our target (no legal deadline)' : 'due'} ${clock.dueAt} (UTC)` : ''}`}
          >${chipText(clock, now)}</span
        >`,
    )}
  </div>`;
}

/**
 * A clock whose pack version changed since the incident recorded it (issue 28.4): both deadlines; the earlier
 * counts until an officer adopts the current version (one button per regime), a closed incident's stays.
 */
function ruleChange(clock: RegimeClockView, adopt: ((regime: string, version: string) => unknown) | undefined) {
  const change = clock.ruleChange;
  if (!change) return null;
  const { recorded: r, current: c } = change;
  return html`<div class="hint" data-rule-change=${`${clock.regime}/${clock.obligation}`}>
      <span class="badge broken">rule changed</span>${` recorded v${r.version}: due `}${time(r.dueAt)}${` · current v${c.version ?? '(withdrawn)'}: due `}${time(c.dueAt)}${change.frozen ? ' · closed: kept as at closing' : ' · the earlier counts until you choose'}
    </div>
    ${!change.frozen && c.version && adopt ? html`<button type="button" onClick=${() => adopt(clock.regime, c.version!)}>${`Adopt ${clock.regime} version ${c.version}`}</button>` : null}`;
}

/**
 * Each clock in words: its name, recipient, deadline (or target) and state; a changed rule with both deadlines.
 * The picture of them all is views/incident-timeline.ts. `adopt` (absent without the permission) adopts a
 * regime's current version.
 */
export function clockDetails(incident: IncidentDetailAnswer['incident'], adopt?: (regime: string, version: string) => unknown) {
  const adoptable = new Set<string>();
  return incident.regimeClocks.map((clock) => {
    const firstOfRegime = !adoptable.has(clock.regime);
    if (clock.ruleChange) adoptable.add(clock.regime);
    const changed = ruleChange(clock, firstOfRegime ? adopt : undefined);
    const notes = `${clock.status}${clock.provisional ? ', provisional' : ''}${clock.safeHarbour ? ` · safe harbour: ${clock.safeHarbour}` : ''}${clock.riskOfHarmException ? ' · risk-of-harm exception (dismiss-regime to document)' : ''}${clock.provisionalApplicability ? ` · ${clock.provisionalApplicability}` : ''}`;
    return html`<div key=${clockKey(clock)} class="clock-detail" data-regime=${clock.regime} data-obligation=${clock.obligation}>
      <div>
        <strong>${clock.regimeName}: ${clock.label}</strong>${' '}<span>(${clock.recipient}) ${clock.deadlineKind === 'target' ? 'target (no legal deadline) ' : 'due '}</span>${time(clock.dueAt)}<span> · ${notes}</span>
      </div>
      ${changed}
    </div>`;
  });
}
