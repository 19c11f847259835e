import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { IncidentDetailAnswer } from '../../../contracts/api-answers.js';
import type { IncidentActionBody } from '../../../contracts/incident-api.js';
import { useDesk, useField } from '../desk.js';
import { html } from '../html.js';
import { useRefusal } from '../officer/forms.js';

type Act = (action: IncidentActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;
const prevent = (handler: () => void) => (event: Event) => {
  event.preventDefault();
  handler();
};

function ConfirmForm({ act }: { readonly act: Act }) {
  const aware = useField();
  const why = useField();
  return html`<form id="confirm-form" class="action-form" onSubmit=${prevent(() => void act({ action: 'confirm', awareAt: new Date(aware.value).toISOString(), justification: why.value }))}>
    <fieldset>
      <legend>Confirm as a personal-data breach</legend>
      <label for="confirm-aware">Aware since (your time)</label>
      <input id="confirm-aware" type="datetime-local" required value=${aware.value} onInput=${aware.onInput} />
      <label for="confirm-why">Justification</label>
      <textarea id="confirm-why" required minlength="10" value=${why.value} onInput=${why.onInput}></textarea>
      <button type="submit">Confirm</button>
    </fieldset>
  </form>`;
}

function DismissForm({ act }: { readonly act: Act }) {
  const why = useField();
  return html`<form id="dismiss-form" class="action-form" onSubmit=${prevent(() => void act({ action: 'dismiss', reason: why.value }))}>
    <fieldset>
      <legend>Dismiss: not a personal-data breach</legend>
      <label for="dismiss-why">Reason</label>
      <textarea id="dismiss-why" required minlength="10" value=${why.value} onInput=${why.onInput}></textarea>
      <button type="submit">Dismiss</button>
    </fieldset>
  </form>`;
}

interface RegimeChoice {
  readonly regime: string;
  readonly name: string;
  /** What is decided already, if anything ("notify, confirmed by lena"); such a regime is never preselected. */
  readonly decided?: string;
}

function DecisionForm({ regimes, act }: { readonly regimes: readonly RegimeChoice[]; readonly act: Act }) {
  // No regime is chosen until the officer chooses one: the form never defaults to a regime (decided or not).
  const [regime, setRegime] = useState('');
  const [notify, setNotify] = useState('yes');
  const why = useField();
  const override = useField();
  const delay = useField();
  const refusal = useRefusal();
  const chosen = regimes.some((r) => r.regime === regime) ? regime : '';
  const submit = () => {
    const overrideReason = override.value.trim();
    const reasonsForDelay = delay.value.trim();
    refusal.clear();
    void act({ action: 'propose-decision', regime: chosen, notify: notify === 'yes', rationale: why.value, ...(overrideReason ? { overrideReason } : {}), ...(reasonsForDelay ? { reasonsForDelay } : {}) }, refusal.onRefused).then((ok) => {
      // Proposed: the form starts over, with no regime chosen (never the one just decided).
      if (!ok) return;
      setRegime('');
      for (const field of [why, override, delay]) field.set('');
    });
  };
  const problem = (path: string) => refusal.at(path);
  return html`<form id="decision-form" class="action-form" onSubmit=${prevent(submit)}>
    <fieldset>
      <legend>Propose a notification decision (another DPO confirms it)</legend>
      <label for="decision-regime">Regime</label>
      <select id="decision-regime" required value=${chosen} onChange=${(e: Event) => setRegime((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">Choose the regime to decide</option>
        ${regimes.map((r) => html`<option key=${r.regime} value=${r.regime}>${`${r.name}${r.decided ? ` (decided: ${r.decided})` : ''}`}</option>`)}
      </select>
      ${problem('regime').message}
      <label for="decision-notify">Decision</label>
      <select id="decision-notify" value=${notify} onChange=${(e: Event) => setNotify((e.currentTarget as HTMLSelectElement).value)}>
        <option value="yes">Notify</option>
        <option value="no">Do not notify</option>
      </select>
      <label for="decision-why">Rationale</label>
      <textarea id="decision-why" required minlength="10" value=${why.value} onInput=${why.onInput}></textarea>
      ${problem('rationale').message}
      <label for="decision-delay">Reasons for the delay (required once the deadline has passed)</label>
      <textarea id="decision-delay" value=${delay.value} onInput=${delay.onInput}></textarea>
      ${problem('reasonsForDelay').message}
      <label for="decision-override">Override reason (only to decide against the risk assessment)</label>
      <textarea id="decision-override" value=${override.value} onInput=${override.onInput}></textarea>
      ${problem('overrideReason').message}
      <button type="submit">Propose decision</button>
    </fieldset>
  </form>`;
}

type Task = IncidentDetailAnswer['incident']['tasks'][number];

/**
 * Closing, with the API's guard shown before it refuses: open blocking tasks keep the incident open unless the
 * closer overrides with a reason (the close permission carries the override; the API decides and records it).
 * The API's refusal, if it still refuses, is shown in the form in its own words.
 */
function CloseForm({ blocking, act }: { readonly blocking: readonly Task[]; readonly act: Act }) {
  const why = useField();
  const override = useField();
  const [overriding, setOverriding] = useState(false);
  const refusal = useRefusal();
  const guarded = blocking.length > 0;
  const submit = () => {
    const reason = override.value.trim();
    refusal.clear();
    void act({ action: 'close', reason: why.value, ...(guarded && overriding && reason ? { override: reason } : {}) }, refusal.onRefused);
  };
  const problem = refusal.at('override');
  return html`<form id="close-form" class="action-form" onSubmit=${prevent(submit)}>
    <fieldset>
      <legend>Close</legend>
      ${guarded
        ? html`<div id="close-guard" class="close-guard">
            <p><strong>${`Closing is refused while ${blocking.length} blocking task${blocking.length === 1 ? ' is' : 's are'} open:`}</strong></p>
            <ul>${blocking.map((t) => html`<li key=${t.id} data-task=${t.id}>${t.title}</li>`)}</ul>
            <p class="hint">Complete them or set them aside (Tasks, above), or close with an override and its reason: the override is kept on the timeline and in the register.</p>
          </div>`
        : null}
      <label for="close-why">Resolution</label>
      <textarea id="close-why" required minlength="10" value=${why.value} onInput=${why.onInput}></textarea>
      ${guarded
        ? html`<label class="check" for="close-overriding"
              ><input id="close-overriding" type="checkbox" checked=${overriding} onChange=${(e: Event) => setOverriding((e.currentTarget as HTMLInputElement).checked)} /> Override: close with
              the blocking tasks open</label
            >
            ${overriding
              ? html`<label for="close-override">Reason for the override (required)</label>
                  <textarea id="close-override" required minlength="10" aria-invalid=${problem.invalid} aria-describedby=${problem.describedBy} value=${override.value} onInput=${override.onInput}></textarea>
                  ${problem.message}`
              : null}`
        : null}
      ${refusal.refusal ? html`<p id="close-refused" class="field-error">${`Not closed: ${refusal.refusal.message}`}</p>` : null}
      <button type="submit">${guarded && overriding ? 'Close with override' : 'Close'}</button>
    </fieldset>
  </form>`;
}

/**
 * Only what can be done to the incident as it stands, by these roles (the API checks again): acknowledged once,
 * owned by one person (a hand-over is theirs), confirmed or dismissed while open, decided once confirmed.
 */
export function IncidentActions({ detail, act }: { readonly detail: IncidentDetailAnswer; readonly act: Act }) {
  const { can } = useDesk();
  const { incident } = detail;
  const open = ['detected', 'acknowledged'].includes(incident.status);
  const regimes: RegimeChoice[] = [];
  for (const clock of incident.regimeClocks) {
    if (regimes.some((r) => r.regime === clock.regime)) continue;
    const d = incident.decisions?.[clock.regime];
    const decided = d ? `${d.notify ? 'notify' : 'do not notify'}, ${d.stale ? 'stale' : d.confirmedBy ? `confirmed by ${d.confirmedBy}` : `proposed by ${d.proposedBy}`}` : undefined;
    regimes.push({ regime: clock.regime, name: clock.regimeName, ...(decided ? { decided } : {}) });
  }
  return html`<div id="actions">
    ${incident.status === 'detected' && !incident.acknowledgedAt && can('acknowledge') ? html`<button type="button" onClick=${() => act({ action: 'acknowledge' })}>Acknowledge</button>` : null}
    ${!['closed', 'dismissed'].includes(incident.status) && !incident.owner && can('take-ownership') ? html`<button type="button" onClick=${() => act({ action: 'take-ownership' })}>Take ownership</button>` : null}
    ${open && can('confirm') ? h(ConfirmForm, { act }) : null}
    ${open && can('dismiss') ? h(DismissForm, { act }) : null}
    ${incident.status === 'confirmed' && can('propose-decision') && regimes.length ? h(DecisionForm, { regimes, act }) : null}
    ${['confirmed', 'dismissed'].includes(incident.status) && can('close') ? h(CloseForm, { blocking: incident.tasks.filter((t) => t.status === 'open' && t.blocksClose), act }) : null}
    ${open && can('close') ? html`<p id="close-not-yet" class="hint">Closing: confirm it as a personal-data breach or dismiss it first.</p>` : null}
  </div>`;
}
