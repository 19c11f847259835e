import { useState } from 'preact/hooks';
import type { RegisterAnswer } from '../../../contracts/api-answers.js';
import { api, authHeaders, ensureFreshToken } from '../api.js';
import { usePolled } from '../desk.js';
import { html } from '../html.js';
import { fromLocalInput, valueOf } from '../officer/forms.js';
import { time } from '../time.js';

type Entry = RegisterAnswer['entries'][number];
type Outcome = Entry['outcome'];

const OUTCOMES = { notified: 'Notified', 'not-notified': 'Not notified (documented only)', pending: 'Pending', dismissed: 'Dismissed (not a personal-data breach)' } as const satisfies Record<Outcome, string>;

interface Filters {
  readonly from: string;
  readonly to: string;
  readonly outcome: '' | Outcome;
  readonly regime: string;
}

function query(filters: Filters, format: 'json' | 'csv'): string {
  const params = new URLSearchParams({ format });
  const from = filters.from ? fromLocalInput(`${filters.from}T00:00`) : undefined;
  const to = filters.to ? fromLocalInput(`${filters.to}T00:00`) : undefined;
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.regime.trim()) params.set('regime', filters.regime.trim());
  return `/api/register?${params.toString()}`;
}

/** Saves what the API answers for a path (with the session's token) as a file. */
async function download(path: string, file: string): Promise<void> {
  await ensureFreshToken();
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new Error(`Register export failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** The Art. 33(5) register as CSV (GET /api/register?format=csv), saved as a file: the header's button. */
export function RegisterExport({ onError }: { readonly onError: (error: unknown) => void }) {
  return html`<button type="button" id="register-csv" onClick=${() => download('/api/register?format=csv', 'breach-register.csv').catch(onError)}>Export register (CSV)</button>`;
}

function entryRow(entry: Entry) {
  const decided = entry.decisions.map((d) => `${d.regime}: ${d.notify ? 'notify' : 'do not notify'} (${d.proposedBy}${d.confirmedBy ? ` + ${d.confirmedBy}` : ', unconfirmed'})`).join('; ');
  const submitted = entry.clocks.filter((c) => c.reference).map((c) => `${c.obligation}: ${c.reference}${c.result === 'missed' ? ' (late)' : ''}`).join('; ');
  return html`<tr key=${entry.incidentId} data-incident=${entry.incidentId}>
    <td><a href=${`#/incident/${encodeURIComponent(entry.incidentId)}`}>${entry.incidentId}</a><br /><span>${entry.title}</span></td>
    <td>${time(entry.detectedAt)}</td>
    <td class="outcome">${OUTCOMES[entry.outcome]}</td>
    <td>${entry.facts.jurisdictions.length ? `${entry.facts.affected} (${entry.facts.jurisdictions.map((j) => `${j.code}: ${j.affected}`).join(', ')})` : 'not recorded'}</td>
    <td>${entry.effects.riskLevel ? `${entry.effects.riskLevel} (${entry.effects.severityScore})` : 'not assessed'}</td>
    <td>${decided || '-'}</td>
    <td>${submitted || '-'}</td>
  </tr>`;
}

/** The register: every breach of a period, notified or not, with its decision, who decided, and the submissions. */
export function RegisterView({ onError }: { readonly onError: (error: unknown) => void }) {
  const [draft, setDraft] = useState<Filters>({ from: '', to: '', outcome: '', regime: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const { data } = usePolled(async () => ({ filters, ...(await api<RegisterAnswer>('GET', query(filters, 'json'))) }), JSON.stringify(filters));
  const apply = (event: Event) => {
    event.preventDefault();
    setFilters(draft);
  };
  const set = (key: keyof Filters) => (event: Event) => setDraft((d) => ({ ...d, [key]: valueOf(event) }));
  return html`<section id="register" aria-labelledby="register-title">
    <h2 id="register-title">Register of breaches (GDPR Art. 33(5))</h2>
    <p class="hint">Every breach of the period, notified or not, with the decision, who decided and why. Default: the last 366 days.</p>
    <form id="register-filters" class="action-form" onSubmit=${apply}>
      <label for="register-from">Detected from (date)</label>
      <input id="register-from" type="date" value=${draft.from} onInput=${set('from')} />
      <label for="register-to">Detected before (date)</label>
      <input id="register-to" type="date" value=${draft.to} onInput=${set('to')} />
      <label for="register-outcome">Outcome</label>
      <select id="register-outcome" value=${draft.outcome} onChange=${set('outcome')}>
        <option value="">Any</option>
        ${(Object.keys(OUTCOMES) as Outcome[]).map((o) => html`<option key=${o} value=${o}>${OUTCOMES[o]}</option>`)}
      </select>
      <label for="register-law">With a clock of (code, e.g. gdpr-art33)</label>
      <input id="register-law" value=${draft.regime} onInput=${set('regime')} />
      <button type="submit">Show</button>
      <button type="button" onClick=${() => download(query(draft, 'csv'), 'breach-register.csv').catch(onError)}>Export these entries (CSV)</button>
    </form>
    ${data
      ? html`<div>
          ${data.truncated ? html`<p class="hint">Truncated: narrow the period to see every entry.</p>` : null}
          <table>
            <caption class="visually-hidden">Register entries</caption>
            <thead>
              <tr><th scope="col">Incident</th><th scope="col">Detected</th><th scope="col">Outcome</th><th scope="col">People affected</th><th scope="col">Risk</th><th scope="col">Decisions (proposed + confirmed)</th><th scope="col">Submissions</th></tr>
            </thead>
            <tbody id="register-rows">${data.entries.map(entryRow)}</tbody>
          </table>
          ${data.entries.length ? null : html`<p id="no-entries">No entries for these filters.</p>`}
        </div>`
      : null}
  </section>`;
}
