import type { IncidentDetailAnswer, RegimeClockView } from '../../contracts/api-answers.js';
import { html } from './html.js';
import { band, formatLeft, time } from './time.js';

/** A regime's short human name: its pack's name up to the colon ("GDPR Art. 33", "California Civil Code 1798.82"). */
export const regimeShortName = (regimeName: string): string => regimeName.split(':')[0]!.trim();

/** What a clock is called on the desk: "GDPR Art. 33: Notify the lead supervisory authority" (codes stay in data attributes). */
export const clockName = (clock: RegimeClockView): string => `${regimeShortName(clock.regimeName)}: ${clock.label}`;
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
 * Elapsed against deadline for each clock with a trigger and a due time; the GDPR ladder's steps marked; a
 * changed rule with both deadlines. `adopt` (absent without the permission) adopts a regime's current version.
 */
export function clockPictures(incident: IncidentDetailAnswer['incident'], timers: IncidentDetailAnswer['timers'], now: number, adopt?: (regime: string, version: string) => unknown) {
  const adoptable = new Set<string>();
  return incident.regimeClocks.map((clock) => {
    const firstOfRegime = !adoptable.has(clock.regime);
    if (clock.ruleChange) adoptable.add(clock.regime);
    const changed = ruleChange(clock, firstOfRegime ? adopt : undefined);
    const b = band(clock, now);
    const notes = `${clock.status}${clock.provisional ? ', provisional' : ''}${clock.safeHarbour ? ` · safe harbour: ${clock.safeHarbour}` : ''}${clock.riskOfHarmException ? ' · risk-of-harm exception (dismiss-regime to document)' : ''}${clock.provisionalApplicability ? ` · ${clock.provisionalApplicability}` : ''}`;
    const title = html`<div>
      <strong>${clock.regimeName}: ${clock.label}</strong>${' '}<span>(${clock.recipient}) ${clock.deadlineKind === 'target' ? 'target (no legal deadline) ' : 'due '}</span>${time(clock.dueAt)}<span> · ${notes}</span>
    </div>`;
    if (!clock.triggerAt || !clock.dueAt) return html`<div key=${clockKey(clock)}>${title}${changed}</div>`;
    const start = Date.parse(clock.triggerAt);
    const span = Math.max(1, Date.parse(clock.dueAt) - start);
    const passed = ((now - start) / span) * 100;
    const steps =
      clock.regime === 'gdpr-art33'
        ? timers
            .filter((t) => t.timerId.startsWith('gdpr-art33.'))
            .map((t) => ({ timer: t, at: ((Date.parse(t.dueAt) - start) / span) * 100 }))
            .filter(({ at }) => at >= 0 && at <= 100)
        : [];
    // Widths and positions through the CSSOM (Preact sets style properties), which the content security policy allows.
    return html`<div key=${clockKey(clock)}>
      ${title}
      ${changed}
      <div class=${`bar band-${b}`} role="img" aria-label=${`${Math.min(100, Math.round(passed))} % of the time to the deadline has passed`}>
        <div class="elapsed" style=${{ width: `${Math.max(0, Math.min(100, passed))}%` }}></div>
        ${steps.map(({ timer, at }) => html`<span key=${timer.timerId} class="step" title=${`${timer.stepId}: ${timer.status} (${timer.dueAt} UTC)`} style=${{ left: `${at}%` }}></span>`)}
      </div>
    </div>`;
  });
}
