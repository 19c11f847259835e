import type { IncidentPageAnswer, IncidentSummary } from '../../../contracts/api-answers.js';
import { api } from '../api.js';
import { clockChips } from '../clocks.js';
import { nearestDeadline } from '../countdown.js';
import { usePolled, useDesk } from '../desk.js';
import { html } from '../html.js';
import { pagerButtons, usePager } from './pager.js';

/** The row's lead: the nearest deadline as a countdown in words and colour (the stack's clock, never the browser's). */
function nearest(incident: IncidentSummary, now: number) {
  const next = nearestDeadline(incident.regimeClocks, now);
  if (!next) return html`<td class="countdown band-waiting">no deadline running</td>`;
  return html`<td class=${`countdown band-${next.band}`} data-regime=${next.regime} data-obligation=${next.obligation} data-due=${next.dueAt} title=${`${next.name}: ${next.target ? 'target' : 'due'} ${next.dueAt} (UTC)`}>
    <strong>${next.text}</strong><br /><span class="countdown-name">${next.name}</span>
  </td>`;
}

function incidentRow(incident: IncidentSummary, now: number) {
  return html`<tr key=${incident.id} class="incident" data-incident=${incident.id}>
    <td><a href=${`#/incident/${encodeURIComponent(incident.id)}`}>${incident.id}</a><br /><span>${incident.title}</span></td>
    ${nearest(incident, now)}
    <td>${incident.severity}</td>
    <td>${incident.status}</td>
    <td>${clockChips(incident.regimeClocks, now)}</td>
    <td class=${incident.tasks.overdue ? 'overdue' : ''}>${`${incident.tasks.open} open${incident.tasks.overdue ? `, ${incident.tasks.overdue} overdue` : ''}`}</td>
    <td>${String(incident.alertCount)}</td>
  </tr>`;
}

/** Open incidents, most urgent deadline first, 100 a page; re-read every two seconds. */
export function IncidentList() {
  const desk = useDesk();
  const pager = usePager();
  const { state } = pager;
  const { data } = usePolled(async () => ({ shown: state, ...(await api<IncidentPageAnswer>('GET', `/api/incidents${state.current ? `?next=${encodeURIComponent(state.current)}` : ''}`)) }), pager.key);
  if (!data) return null;
  return html`<section id="list" aria-labelledby="list-title">
    <h2 id="list-title">Open incidents, most urgent deadline first</h2>
    <p class="hint">Updates by itself every two seconds. Times in your time zone; hover for UTC.</p>
    <table>
      <caption class="visually-hidden">Open incidents and their legal clocks</caption>
      <thead>
        <tr><th scope="col">Incident</th><th scope="col">Nearest deadline</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Clocks (time left)</th><th scope="col">Tasks</th><th scope="col">Alerts</th></tr>
      </thead>
      <tbody id="incident-rows">
        ${data.incidents.map((incident) => incidentRow(incident, desk.now))}
      </tbody>
    </table>
    ${data.incidents.length ? null : html`<p id="no-incidents">No open incidents.</p>`}
    ${pagerButtons(pager, data.shown, data.next, { previous: 'previous-page', next: 'next-page' })}
  </section>`;
}
