import { useState } from 'preact/hooks';
import type { IncidentDetailAnswer } from '../../../contracts/api-answers.js';
import type { IncidentActionBody } from '../../../contracts/incident-api.js';
import { useField } from '../desk.js';
import { html } from '../html.js';
import { checkedOf, useRefusal, valueOf } from './forms.js';

type Act = (action: IncidentActionBody, onRefused?: (error: unknown) => void) => Promise<boolean>;
type RiskInput = Extract<IncidentActionBody, { action: 'assess-risk' }>['input'];
type BreachType = RiskInput['breachTypes'][number];
type Ease = RiskInput['easeOfIdentification'];
type Incident = IncidentDetailAnswer['incident'];

const BREACH_TYPES = {
  confidentiality: 'Confidentiality (data disclosed or accessed)',
  integrity: 'Integrity (data altered)',
  availability: 'Availability (data lost or out of reach)',
} as const satisfies Record<BreachType, string>;

const EASE = {
  negligible: 'Negligible (× 0.25): hardly possible even with other data',
  limited: 'Limited (× 0.5): possible with other data that is hard to get',
  significant: 'Significant (× 0.75): possible with data that is easy to get',
  maximum: 'Maximum (× 1): the data names the people directly',
} as const satisfies Record<Ease, string>;

const EXEMPTIONS: Readonly<Record<string, string>> = {
  'a-unintelligible': 'Art. 34(3)(a): the data is unintelligible to others (encrypted, key not compromised)',
  'b-later-measures': 'Art. 34(3)(b): measures taken since make the high risk no longer likely',
  'c-disproportionate-effort': 'Art. 34(3)(c): disproportionate effort, a public communication instead',
};

const LEVELS = { none: 'no risk: document only', risk: 'risk: notify the authority', high: 'high risk: notify the authority and tell the people' } as const;

/** The assessment: its level, the score factor by factor, the Art. 34(3) exemption, who assessed it and why. */
export function riskSummary(incident: Incident) {
  const risk = incident.riskAssessment;
  if (!risk) return html`<dl id="risk"><dt>Assessment</dt><dd>not yet assessed</dd></dl>`;
  const dd = (value: unknown) => (value === undefined || value === null || value === '' ? '-' : String(value));
  return html`<div>
    <dl id="risk">
      <dt>Level</dt><dd>${`${risk.level} (${LEVELS[risk.level]})`}</dd>
      <dt>Severity score</dt><dd>${String(risk.severityScore)}</dd>
      <dt>Art. 34(3) exemption</dt><dd>${risk.art34Exemption ? (EXEMPTIONS[risk.art34Exemption] ?? risk.art34Exemption) : 'none'}</dd>
      <dt>Assessed by</dt><dd>${dd(risk.by)}</dd>
      <dt>Rationale</dt><dd>${dd(risk.rationale)}</dd>
    </dl>
    ${risk.explanation
      ? html`<table class="explained" id="risk-explained">
          <caption>How the severity score is made (ENISA: under 2 low, 2 to 3 medium, 3 and over high)</caption>
          <thead><tr><th scope="col">Factor</th><th scope="col">What it was</th><th scope="col">Points</th></tr></thead>
          <tbody>
            ${risk.explanation.map((line) => html`<tr key=${line.factor}><th scope="row">${line.factor}</th><td>${line.detail}</td><td class="points">${`+${line.points}`}</td></tr>`)}
          </tbody>
          <tfoot><tr><th scope="row">Severity score</th><td>${LEVELS[risk.level]}</td><td class="points">${`= ${risk.severityScore}`}</td></tr></tfoot>
        </table>`
      : html`<ul>${risk.factors.map((f) => html`<li key=${f}>${f}</li>`)}</ul>`}
  </div>`;
}

/**
 * The EDPB factors as a guided form (Guidelines 9/2022, ENISA's method): what was lost, how easily people are
 * identified, intent, who has the data; the data context, the people and their number come from the facts. The
 * Art. 34(3) exemptions with their conditions: (a) follows from the facts (encrypted, key safe), (b) and (c) are
 * the assessor's.
 */
export function RiskForm({ detail, act }: { readonly detail: IncidentDetailAnswer; readonly act: Act }) {
  const previous = detail.incident.riskAssessment?.input;
  const [types, setTypes] = useState<ReadonlySet<BreachType>>(() => new Set(previous?.breachTypes ?? ['confidentiality']));
  const [ease, setEase] = useState<Ease>(previous?.easeOfIdentification ?? 'significant');
  const [malicious, setMalicious] = useState(previous?.malicious ?? false);
  const [unknownRecipients, setUnknown] = useState(previous?.unknownRecipients ?? true);
  const [laterMeasures, setLater] = useState(previous?.laterMeasuresRemoveHighRisk ?? false);
  const [effort, setEffort] = useState(previous?.disproportionateEffort ?? false);
  const why = useField();
  const refusal = useRefusal();
  const encryption = detail.incident.facts?.encryption;
  const submit = (event: Event) => {
    event.preventDefault();
    refusal.clear();
    const breachTypes = (Object.keys(BREACH_TYPES) as BreachType[]).filter((t) => types.has(t));
    void act(
      { action: 'assess-risk', input: { breachTypes, easeOfIdentification: ease, malicious, unknownRecipients, laterMeasuresRemoveHighRisk: laterMeasures, disproportionateEffort: effort }, rationale: why.value },
      refusal.onRefused,
    );
  };
  const toggle = (type: BreachType, on: boolean) =>
    setTypes((all) => {
      const next = new Set(all);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });
  const check = (id: string, label: string, checked: boolean, set: (on: boolean) => void) =>
    html`<label class="check" for=${id}><input id=${id} type="checkbox" checked=${checked} onChange=${(e: Event) => set(checkedOf(e))} /> ${label}</label>`;
  const types_ = refusal.at('input.breachTypes');
  const rationale = refusal.at('rationale');
  return html`<form id="risk-form" class="action-form officer-form" onSubmit=${submit}>
    <fieldset>
      <legend>Assess the risk to people (EDPB factors)</legend>
      <p class="hint">The data context (its categories), vulnerable people and how many are affected come from the facts above.</p>
      <fieldset>
        <legend>What was lost</legend>
        ${(Object.keys(BREACH_TYPES) as BreachType[]).map((t) => html`<span key=${t}>${check(`risk-${t}`, BREACH_TYPES[t], types.has(t), (on) => toggle(t, on))}</span>`)}
        ${types_.message}
      </fieldset>
      <label for="risk-ease">How easily people can be identified from the data</label>
      <select id="risk-ease" value=${ease} onChange=${(e: Event) => setEase(valueOf(e) as Ease)}>
        ${(Object.keys(EASE) as Ease[]).map((k) => html`<option key=${k} value=${k}>${EASE[k]}</option>`)}
      </select>
      <div>${check('risk-malicious', 'Deliberate (theft, hacking), not an accident', malicious, setMalicious)}</div>
      <div>${check('risk-unknown', 'The data is with an unknown or untrusted party', unknownRecipients, setUnknown)}</div>
      <fieldset>
        <legend>Art. 34(3): when people need not be told of a high risk</legend>
        <p class="hint">
          ${`(a) the data is unintelligible to others (encrypted, key not compromised): from the facts, now ${encryption ? (encryption.encrypted ? (encryption.keyCompromised ? 'encrypted but the key is compromised' : 'encrypted with the key safe') : 'not encrypted') : 'not recorded'}.`}
        </p>
        <div>${check('risk-later', '(b) measures taken since make the high risk no longer likely to materialise', laterMeasures, setLater)}</div>
        <div>${check('risk-effort', '(c) telling each person would involve disproportionate effort: a public communication instead', effort, setEffort)}</div>
      </fieldset>
      <label for="risk-why">Why this assessment</label>
      <textarea id="risk-why" value=${why.value} onInput=${why.onInput} aria-invalid=${rationale.invalid} aria-describedby=${rationale.describedBy}></textarea>
      ${rationale.message}
      <button type="submit">Assess the risk</button>
    </fieldset>
  </form>`;
}
