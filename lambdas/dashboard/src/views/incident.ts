import { h } from 'preact';
import type { IncidentDetailAnswer, NoticeDetailAnswer, NoticeListAnswer, TrailAnswer } from '../../../contracts/api-answers.js';
import type { IncidentActionBody } from '../../../contracts/incident-api.js';
import type { NoticeActionBody } from '../../../contracts/notice-api.js';
import { api, incidentPath, noticePath } from '../api.js';
import { clockDetails, regimeShortName } from '../clocks.js';
import { useDesk, usePolled } from '../desk.js';
import { html } from '../html.js';
import { time } from '../time.js';
import { IncidentActions } from './incident-actions.js';
import { IncidentTasks } from './incident-tasks.js';
import { IncidentTimeline } from './incident-timeline.js';
import { UsResidentVariants } from './us-resident-variants.js';
import { NoticeItem } from './notice-review.js';
import { FactsForm } from '../officer/facts-form.js';
import { DraftNoticeForm, usePacks } from '../officer/notice-draft.js';
import { RiskForm, riskSummary } from '../officer/risk-form.js';

type Timeline = IncidentDetailAnswer['timeline'];
type Incident = IncidentDetailAnswer['incident'];

/**
 * One happening, one line: recording a notice as submitted writes two trail events, the notice's
 * (`notice.submitted`) and the clock's it stops (`incident.submission-recorded`, naming the notice). The desk
 * shows the clock's line, which says which obligation was met and whether late, and names the notice in it.
 */
function oneLinePerEvent(timeline: Timeline): Timeline {
  const noticeOf = (e: Timeline[number]) => (typeof e.data?.noticeId === 'string' ? e.data.noticeId : undefined);
  const byClock = new Set(timeline.filter((e) => e.type === 'incident.submission-recorded' && noticeOf(e)).map(noticeOf));
  return timeline
    .filter((e) => !(e.type === 'notice.submitted' && byClock.has(noticeOf(e))))
    .map((e) => (e.type === 'incident.submission-recorded' && noticeOf(e) ? { ...e, summary: `${e.summary} (notice ${noticeOf(e)})` } : e));
}

function definitionList(id: string, entries: readonly (readonly [string, unknown])[]) {
  return html`<dl id=${id}>
    ${entries.map(([term, value]) => [html`<dt key=${`t-${term}`}>${term}</dt>`, html`<dd key=${`d-${term}`}>${value === undefined || value === null || value === '' ? '-' : String(value)}</dd>`])}
  </dl>`;
}

function factsList(incident: Incident) {
  const facts = incident.facts ?? {};
  return definitionList('facts', [
    ['Jurisdictions (people affected)', (facts.jurisdictions ?? []).map((j) => `${j.code}: ${j.affected}`).join(', ')],
    ['Data categories', (facts.dataCategories ?? []).join(', ')],
    ['People categories', (facts.peopleCategories ?? []).join(', ')],
    ['Role', facts.role],
    ['Encryption', facts.encryption ? (facts.encryption.encrypted ? `encrypted${facts.encryption.keyCompromised ? ', key compromised' : ', key safe'}` : 'not encrypted') : undefined],
  ]);
}

/** Per jurisdiction (issue 28.6): its people, the laws whose clocks run for them, each threshold crossed or short by how many. */
function jurisdictionTable(incident: Incident) {
  const rows = incident.jurisdictions ?? [];
  if (!rows.length) return null;
  return html`<table id="jurisdictions">
    <thead><tr><th scope="col">Where</th><th scope="col">People</th><th scope="col">Laws whose clocks run</th><th scope="col">Thresholds</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr key=${row.code} data-code=${row.code}>
          <th scope="row">${row.code}</th>
          <td>${String(row.affected)}</td>
          <td>${row.regimes.map((r) => r.name).join('; ') || '-'}</td>
          <td>
            ${row.thresholds.length
              ? html`<ul>${row.thresholds.map(
                  (t) => html`<li key=${`${t.regime}/${t.obligation}`} class=${t.crossed ? 'crossed' : 'short'}>${`${t.label}: ${t.rule}, ${t.affected} ${t.crossed ? '(crossed)' : `(${-t.margin} short)`}`}</li>`,
                )}</ul>`
              : '-'}
          </td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Four eyes: the person who proposed a decision is never offered its confirmation (the API refuses it too). */
function decisionsList(incident: Incident, canConfirm: boolean, me: string, act: (action: IncidentActionBody) => Promise<boolean>) {
  const nameOf = (regime: string) => {
    const clock = incident.regimeClocks.find((c) => c.regime === regime);
    return clock ? regimeShortName(clock.regimeName) : regime;
  };
  return html`<ul id="decisions">
    ${Object.values(incident.decisions ?? {}).map(
      (d) => html`<li key=${d.regime} data-regime=${d.regime}>
        ${`${nameOf(d.regime)}: ${d.notify ? 'notify' : 'do not notify'}, proposed by ${d.proposedBy}${d.confirmedBy ? `, confirmed by ${d.confirmedBy}` : ', awaiting confirmation'}${d.stale ? ' (stale)' : ''}${d.override ? ` — OVERRIDE: ${d.override.reason}` : ''}: ${d.rationale}`}
        ${!d.confirmedBy && !d.stale && canConfirm && d.proposedBy === me
          ? html` <span class="hint">awaiting a second person's confirmation</span>`
          : null}
        ${!d.confirmedBy && !d.stale && canConfirm && d.proposedBy !== me
          ? html` <button type="button" onClick=${() => act({ action: 'confirm-decision', regime: d.regime })}>${`Confirm the ${nameOf(d.regime)} decision (four eyes)`}</button>`
          : null}
      </li>`,
    )}
  </ul>`;
}

async function loadIncident(id: string) {
  const [detail, { notices, usResidentVariants }, trail] = await Promise.all([
    api<IncidentDetailAnswer>('GET', incidentPath(id)),
    api<NoticeListAnswer>('GET', `${incidentPath(id)}/notices`).catch((): Partial<NoticeListAnswer> & Pick<NoticeListAnswer, 'notices'> => ({ notices: [] })),
    api<TrailAnswer>('GET', `${incidentPath(id)}/trail`),
  ]);
  // Each notice's own view (all but withdrawn ones): what is missing, its versions, its list and delivery progress.
  const views = await Promise.all(
    notices.map((n) => (n.status !== 'withdrawn' ? api<NoticeDetailAnswer>('GET', noticePath(id, n.noticeId)).catch(() => undefined) : Promise.resolve(undefined))),
  );
  return { detail, notices, usResidentVariants, views, trail };
}

/** One incident: its clocks, what can be done now, tasks, facts, risk, decisions, notices and timeline. */
export function IncidentView({ id }: { readonly id: string }) {
  const desk = useDesk();
  const { data, reload } = usePolled(() => loadIncident(id), id);
  const packs = usePacks();
  if (!data) return null;
  const audienceOf = (kind: string) => packs.find((p) => p.kind === kind)?.audience;
  const { detail, notices, usResidentVariants, views, trail } = data;
  const { incident } = detail;
  /** An action: the previous refusal goes; a refusal is shown (and given to the form, to show beside its fields). */
  const run = async (path: string, action: IncidentActionBody | NoticeActionBody, onRefused?: (error: unknown) => void): Promise<boolean> => {
    desk.clearError();
    try {
      await api('POST', `${path}/actions`, action);
      desk.done(`Done: ${action.action}`);
    } catch (error) {
      desk.fail(error);
      onRefused?.(error);
      return false;
    }
    await reload().catch((error: unknown) => desk.fail(error));
    return true;
  };
  const act = (action: IncidentActionBody, onRefused?: (error: unknown) => void) => run(incidentPath(id), action, onRefused);
  const actOnNotice = (noticeId: string, action: NoticeActionBody, onRefused?: (error: unknown) => void) => run(noticePath(id, noticeId), action, onRefused);
  return html`<section id="detail" aria-labelledby="detail-title">
    <p><a href="#/">← All open incidents</a></p>
    <h2 id="detail-title">${`${incident.id}: ${incident.title}`}</h2>
    <p id="detail-meta">
      <span>${`${incident.status} · ${incident.severity} · ${incident.alertCount} alerts · detected `}</span>${time(incident.detectedAt)}<span>${incident.awareAt ? ' · aware since ' : ''}</span>${incident.awareAt ? time(incident.awareAt) : ''}<span>${` · owner ${incident.owner ?? 'nobody'}`}</span>
    </p>
    <p id="trail-badge" class=${`badge ${trail.ok ? 'ok' : 'broken'}`}>
      ${trail.ok ? `Audit trail intact (${trail.events} events)` : `AUDIT TRAIL BROKEN: ${trail.problems.map((p) => `${p.kind} #${p.seq}`).join(', ')}`}
    </p>

    <h3>Clocks</h3>
    ${h(IncidentTimeline, { detail, now: desk.now })}
    <div id="clocks">${clockDetails(incident, desk.can('adopt-rule-version') ? (regime) => act({ action: 'adopt-rule-version', regime }) : undefined)}</div>

    <h3>Actions</h3>
    ${h(IncidentActions, { detail, act })}
    ${h(IncidentTasks, { detail, act })}

    <h3>Facts</h3>
    ${factsList(incident)}
    ${jurisdictionTable(incident)}
    ${incident.status !== 'closed' && desk.can('record-facts') ? h(FactsForm, { detail, act }) : null}
    <h3>Risk assessment</h3>
    ${riskSummary(incident)}
    ${['detected', 'acknowledged', 'confirmed'].includes(incident.status) && desk.can('assess-risk') ? h(RiskForm, { detail, act }) : null}
    <h3>Decisions</h3>
    ${decisionsList(incident, desk.can('confirm-decision'), desk.me.actor, act)}
    <h3>Notices</h3>
    <ul id="notices">
      ${notices.map((notice, i) => h(NoticeItem, { key: notice.noticeId, notice, view: views[i], audience: audienceOf(notice.kind), packName: packs.find((p) => p.kind === notice.kind)?.name, act: actOnNotice }))}
    </ul>
    ${usResidentVariants ? h(UsResidentVariants, { grouping: usResidentVariants, notices }) : null}
    ${!['closed', 'dismissed'].includes(incident.status) && desk.can('draft-notice') ? h(DraftNoticeForm, { detail, onDrafted: reload }) : null}
    <h3>Timeline</h3>
    <ol id="timeline" reversed>
      ${oneLinePerEvent(detail.timeline)
        .slice()
        .reverse()
        .map((e, i) => html`<li key=${`${e.at}/${e.type}/${i}`}>${time(e.at)}<span>${` ${e.summary}`}</span></li>`)}
    </ol>
  </section>`;
}
