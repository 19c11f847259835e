import { IngestContentionError } from './errors.js';
import { assertStorable, boundedAlert, carriedFields, clip, type NormalisedAlert } from '../domain/alert.js';
import { planTimers, type EscalationLadder } from '../domain/escalation-ladder.js';
import { noteSourceStatus, OPENING_REGIMES, openIncident } from '../domain/incident-record.js';
import { gdprDueAt } from '../domain/gdpr-clock.js';
import { withTemplateTasksFor } from '../domain/tasks/template-sync.js';
import { planTaskTimers } from '../domain/tasks/task-escalation.js';
import { inferKind } from '../domain/tasks/tasks.js';
import type { TaskTemplates } from '../domain/tasks/templates.js';
import { stateChangeMessage, type MessageContext } from '../domain/messages.js';
import { routeAlert, type RoutingRules } from '../domain/routing.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import {
  ConcurrentUpdateError,
  DuplicateDeliveryError,
  FingerprintTakenError,
  StormCapReachedError,
  type AlertOutcome,
  type AlertCounter,
  type AlertIntake,
  type IncidentReader,
  type StoredAlert,
} from '../ports/incident-store.js';
import type { AttachBatcher } from './attach-batcher.js';
import type { FingerprintCache } from './fingerprint-cache.js';
import { backoffMs, sleep } from '../shared/backoff.js';
import { inParallel } from '../shared/in-parallel.js';

export type { NormalisedAlert } from '../domain/alert.js';

export interface IngestResult {
  readonly alertId: string;
  /** The incident the alert opened, attached to or was noted on; null when it was only recorded. */
  readonly incidentId: string | null;
  /** The alert attached to an incident that was already open (same fingerprint). */
  readonly deduplicated: boolean;
  /** The sender delivered this very event before (same event id): it was not counted again. */
  readonly duplicateDelivery: boolean;
  readonly outcome: AlertOutcome | 'duplicate';
  /** The routing rule that decided. */
  readonly rule: string;
}


export { IngestContentionError };

export interface IngestDeps {
  readonly store: AlertIntake & AlertCounter & Pick<IncidentReader, 'getIncident'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly ladder: EscalationLadder;
  /** Task templates: an opened incident gets its kind (from the alert) and its tasks. */
  readonly tasks?: TaskTemplates;
  readonly routing: RoutingRules;
  readonly messageContext?: MessageContext;
  readonly maxAttempts?: number;
  /** Optional per-process memory of open fingerprints (saves a read per alert in a storm). */
  readonly fingerprints?: FingerprintCache;
  /** Optional group commit of concurrent attaches to one incident (alert storms in one process). */
  readonly batcher?: AttachBatcher;
  /** How old a tool's own time may be and still be the detection time (TOOL_TIME_WINDOW; default 7 days). */
  readonly toolTimeWindowMs?: number;
  /** Storm protection: at most `cap` incidents per routing rule per window (STORM_CAP, STORM_WINDOW). */
  readonly storm?: { readonly cap: number; readonly windowMs: number };
}

const STORM_PREFIX = 'storm:';

const SAMPLE_RULE = '(sample finding: recorded, never opened)';

/**
 * Places one normalised alert. Routing decides whether a firing alert may open an incident, only attach
 * to an open one, or is only recorded; a resolution or acknowledgement from the source is noted on the
 * open incident and never closes it. Race-safe: the fingerprint item is created in the same transaction
 * as the incident, so of two racing requests one opens and the other attaches. A rule's storm budget is
 * spent in that same transaction; beyond it the alert joins the rule's storm incident for the window.
 * Attaching writes only the alert's delivery record; the alert stream keeps and counts it (foldAlertCounts,
 * ADR 0011).
 */

export async function ingestAlert(deps: IngestDeps, sent: NormalisedAlert): Promise<IngestResult> {
  assertStorable([sent]); // DynamoDB's item limit: refused before anything is written
  const bounded = boundedAlert(sent);
  const routed = await routeAlert(deps.routing, bounded);
  // A routing rule's own grouping (groupBy) replaces the sender's fingerprint as the incident identity.
  let alert = routed.groupFingerprint ? boundedAlert({ ...bounded, fingerprint: routed.groupFingerprint }) : bounded;
  const maxAttempts = deps.maxAttempts ?? 12;
  const alertId = deps.ids.alertId();
  const status = alert.status ?? 'firing';
  const decision = routed;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    const now = deps.clock.now();
    // The storm window this attempt belongs to (its budget, and the storm incident it joins beyond it).
    const stormWindow = deps.storm ? new Date(Math.floor(now.getTime() / deps.storm.windowMs) * deps.storm.windowMs) : undefined;
    const stored = (outcome: AlertOutcome, incidentId?: string): StoredAlert => storedAlert(alert, alertId, now, outcome, decision.rule, incidentId);
    const result = (outcome: AlertOutcome, incidentId: string | null): IngestResult => ({
      alertId,
      incidentId,
      deduplicated: outcome === 'attached' || outcome === 'noted',
      duplicateDelivery: false,
      outcome,
      rule: decision.rule,
    });
    try {
      const cached = status === 'firing' ? deps.fingerprints?.get(alert.source, alert.fingerprint) : undefined;
      const openId = cached ?? (await deps.store.findOpenIncidentId(alert.source, alert.fingerprint));

      if (status === 'resolved' || status === 'acknowledged') {
        const incident = openId ? await deps.store.getIncident(openId) : undefined;
        if (!incident) {
          await deps.store.recordAlert(stored('recorded'));
          return result('recorded', null);
        }
        const noted = noteSourceStatus(incident, status, alert.source, now);
        await deps.store.noteOnIncident({
          expectedVersion: incident.version,
          incident: noted.incident,
          alert: stored('noted', incident.id),
          event: noted.event,
          outbox: [stateChangeMessage(noted.incident, noted.event, now, deps.messageContext)],
        });
        return result('noted', incident.id);
      }

      if (status === 'firing' && decision.action !== 'record' && openId) {
        const attach = { ...stored('attached', openId), incidentId: openId };
        await (deps.batcher ? deps.batcher.attach(attach) : deps.store.attachAlert(attach));
        deps.fingerprints?.set(alert.source, alert.fingerprint, openId);
        return result('attached', openId);
      }

      // Sample and test findings (GuardDuty/Security Hub samples): evidence that the pipe works, never an incident.
      if (alert.sample) {
        await deps.store.recordAlert({ ...stored('recorded'), rule: SAMPLE_RULE });
        return { ...result('recorded', null), rule: SAMPLE_RULE };
      }

      if (status !== 'firing' || decision.action !== 'open') {
        await deps.store.recordAlert(stored('recorded'));
        return result('recorded', null);
      }

      // Storm protection: each rule opens at most `cap` incidents per window; beyond, groups join one storm incident.
      const stormBudget =
        deps.storm && stormWindow && !alert.fingerprint.startsWith(STORM_PREFIX)
          ? { key: `${decision.rule}#${stormWindow.toISOString()}`, cap: deps.storm.cap, expiresAt: new Date(stormWindow.getTime() + 2 * deps.storm.windowMs).toISOString() }
          : undefined;
      const kind = deps.tasks ? inferKind(alert, deps.tasks) : undefined;
      const fresh = openIncident(
        {
          ...(kind ? { kind } : {}),
          id: deps.ids.incidentId(now),
          title: alert.title,
          severity: decision.severity,
          source: alert.source,
          fingerprint: alert.fingerprint,
          ...(alert.occurredAt ? { occurredAt: alert.occurredAt } : {}),
          ...(alert.observedAt ? { observedAt: alert.observedAt } : {}),
        },
        now,
        deps.toolTimeWindowMs !== undefined ? { toolTimeWindowMs: deps.toolTimeWindowMs } : {},
      );
      // No facts yet: only the GDPR clock runs (OPENING_REGIMES), so its deadline is the most urgent one.
      const withTasks = withTemplateTasksFor(fresh.incident, fresh.event, deps.tasks, OPENING_REGIMES, now);
      const opened = { ...withTasks, incident: { ...withTasks.incident, nextDeadlineAt: gdprDueAt(withTasks.incident) } };
      await deps.store.openIncident({
        incident: opened.incident,
        alert: stored('opened', opened.incident.id),
        event: opened.event,
        timers: [...planTimers(opened.incident, deps.ladder), ...planTaskTimers(opened.incident)],
        outbox: [stateChangeMessage(opened.incident, opened.event, now, deps.messageContext)],
        ...(stormBudget ? { stormBudget } : {}),
      });
      deps.fingerprints?.set(alert.source, alert.fingerprint, opened.incident.id);
      return result('opened', opened.incident.id);
    } catch (error) {
      if (error instanceof DuplicateDeliveryError) {
        // A repeat (re-notification, a retry after a timeout, redelivery, or a race of two deliveries at once):
        // every write of an alert is conditioned on its delivery item being new, so a new alert costs no read
        // for this; a repeat moves the instance's last-seen time on and is not counted again.
        if (alert.senderEventId) await deps.store.recordRepeat(alert.source, alert.senderEventId, deps.clock.now());
        return duplicate(error.alertId, error.incidentId, decision.rule);
      }
      if (error instanceof StormCapReachedError && deps.storm && stormWindow) {
        // The rule's budget for this window is spent: this group joins the window's storm incident (one
        // incident, one page), which lists every alert that joined. Its own fingerprint stays in the alert.
        alert = {
          ...alert,
          fingerprint: `${STORM_PREFIX}${decision.rule}:${stormWindow.toISOString()}`,
          title: clip(`Alert storm: rule "${decision.rule}" opened ${deps.storm.cap} incidents within ${Math.round(deps.storm.windowMs / 60_000)} min; later groups join here (first: ${alert.title})`, 300),
          labels: { ...alert.labels, stormJoinedFrom: clip(bounded.fingerprint, 200) },
        };
        attempt--;
        continue;
      }
      if (error instanceof FingerprintTakenError || error instanceof ConcurrentUpdateError) {
        deps.fingerprints?.forget(alert.source, alert.fingerprint);
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw new IngestContentionError(alert.fingerprint, { cause: lastError });
}

function duplicate(alertId: string, incidentId: string | undefined, rule: string): IngestResult {
  return { alertId, incidentId: incidentId ?? null, deduplicated: true, duplicateDelivery: true, outcome: 'duplicate', rule };
}

function storedAlert(alert: NormalisedAlert, alertId: string, now: Date, outcome: AlertOutcome, rule: string, incidentId?: string): StoredAlert {
  return {
    alertId,
    ...(incidentId ? { incidentId } : {}),
    source: alert.source,
    fingerprint: alert.fingerprint,
    title: alert.title,
    severity: alert.severity,
    status: alert.status ?? 'firing',
    outcome,
    rule,
    receivedAt: now.toISOString(),
    ...(alert.senderEventId ? { senderEventId: alert.senderEventId } : {}),
    ...carriedFields(alert),
  };
}

/**
 * Places the alerts of one request (an Alertmanager or Grafana group, Security Hub's findings) quickly enough
 * for the sender's deadline: the first alert of each fingerprint first (it may open the incident), then the
 * rest concurrently (attaches to one incident are group-committed by the batcher where there is one).
 * Results keep the request's order.
 */
export async function ingestAlerts(deps: IngestDeps, alerts: readonly NormalisedAlert[], concurrency = 16): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(alerts.length);
  const { first, rest } = firstOfEachFingerprint(alerts);
  for (const index of first) results[index] = await ingestAlert(deps, alerts[index]!);
  const placed = await inParallel(rest, concurrency, (index) => ingestAlert(deps, alerts[index]!));
  rest.forEach((index, at) => (results[index] = placed[at]!));
  return results;
}

/** Positions of the first alert of each (source, fingerprint) in a request, and of all the others. */
export function firstOfEachFingerprint(alerts: readonly NormalisedAlert[]): { first: number[]; rest: number[] } {
  const seen = new Set<string>();
  const first: number[] = [];
  const rest: number[] = [];
  for (const [index, alert] of alerts.entries()) {
    const key = `${alert.source}|${alert.fingerprint}`;
    (seen.has(key) ? rest : first).push(index);
    seen.add(key);
  }
  return { first, rest };
}
