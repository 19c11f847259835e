import type { Incident } from '../domain/incident.js';
import { decideNotice, type Notice, type NoticeAction, type NoticeContext, type NoticeDecision } from '../domain/notices/notice.js';
import { packForNotice } from '../domain/notices/us-variants.js';
import type { SendPlanner } from '../ports/notice-delivery.js';
import { decisionWrite } from './act-on-incident.js';
import { IncidentNotFoundError, NoticeNotFoundError } from './errors.js';
import { packOf, type NoticeDeps } from './notice-deps.js';
import { retryOnConflict } from './retry.js';

/*
 * A notice's decisions: loading it with its incident and pack, deciding an action, saving the decision with the
 * incident's. Apart from app/notices.ts so that the sender imports it only in the chunk that completes a notice
 * (ADR 0018 session 14): the notice domain, the incident's decisions and the regime clocks stay out of its cold
 * start.
 */

/** A notice with its incident and the context its pack decides in (the pack, or a US variant's). */
export async function loadNotice(deps: NoticeDeps, incidentId: string, noticeId: string): Promise<{ incident: Incident; notice: Notice; context: NoticeContext }> {
  const [incident, notice] = await Promise.all([deps.store.getIncident(incidentId), deps.notices.getNotice(incidentId, noticeId)]);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  if (!notice) throw new NoticeNotFoundError(incidentId, noticeId);
  // A de or fr notice is checked against the English notices' text (copied, not translated: still missing).
  const otherNotices = notice.language === 'en' ? [] : (await deps.notices.listNotices(incidentId)).filter((other) => other.noticeId !== noticeId);
  return { incident, notice, context: { incident, pack: packForNotice(packOf(notice.kind), notice.obligation), organisation: deps.organisation, now: deps.clock.now(), otherNotices } };
}

/** Saves a notice's decision with the incident's, when the decision changes the incident too (one transaction). */
export async function saveDecision(deps: NoticeDeps, decision: NoticeDecision, expectedRevision: number, incident: Incident, actor: string): Promise<void> {
  const incidentWrite = decision.incidentAction ? await decisionWrite(deps, incident, decision.incidentAction, actor, deps.clock.now()) : undefined;
  await deps.notices.saveNotice({
    notice: decision.notice,
    expectedRevision,
    event: decision.event,
    incidentState: { id: incident.id, version: incident.version, trail: incident.trail },
    ...(decision.version ? { version: decision.version } : {}),
    ...(incidentWrite ? { incident: incidentWrite } : {}),
  });
}

/** Applies a workflow action; an approval keeps the rendered content it approved, which is what is sent. */
export async function actOnNotice(deps: NoticeDeps & { readonly planner?: SendPlanner }, incidentId: string, noticeId: string, action: NoticeAction, actor: string): Promise<Notice> {
  const notice = await retryOnConflict(async () => {
    const { incident, notice, context } = await loadNotice(deps, incidentId, noticeId);
    const decision = decideNotice(notice, action, context, actor);
    await saveDecision(deps, decision, notice.revision, incident, actor);
    return decision.notice;
  });
  if (action.type === 'start-sending' && deps.planner) await deps.planner.start({ incidentId, noticeId });
  return notice;
}

