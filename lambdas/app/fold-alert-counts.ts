import type { NormalisedAlert } from '../domain/alert.js';
import { isOpen, type Severity } from '../domain/incident-record.js';
import type { AlertRef, StoredAlert } from '../ports/incident-store.js';
import { ingestAlert, type IngestDeps } from './ingest-alert.js';

/** An attached alert as the alert stream shows it: the incident it was kept on and where. */
export interface AttachedAlert extends AlertRef {
  readonly incidentId: string;
}

export interface FoldReport {
  /** Alerts counted on their incident (a redelivered one is not counted again, nor reported). */
  readonly folded: number;
  /** Alerts that reached an incident after it closed, placed again (a new incident, or the one open now). */
  readonly replaced: number;
}

/**
 * Folds attached alerts into their incidents' counts (ADR 0011): ingest keeps an alert without touching the
 * incident item, and the alert stream brings the count and last-alert time up to date in batches, one
 * transaction per incident and batch, exactly once per alert.
 *
 * The attach was decided on a read of the fingerprint, so an alert may reach an incident that was closed in
 * the meantime. Such an alert, received after the close, is not counted on the closed incident: it is
 * placed again as the alert it was (it opens a new incident, or joins the one open for its fingerprint now),
 * just as an attach refused by the incident's state was retried before. Idempotent: the new placement carries
 * a delivery id derived from the alert, so a redelivered record places it once.
 */
export async function foldAlertCounts(deps: IngestDeps, alerts: readonly AttachedAlert[]): Promise<FoldReport> {
  let folded = 0;
  let replaced = 0;
  for (const [incidentId, refs] of groupByIncident(alerts)) {
    if ((await deps.store.countAlerts(incidentId, refs, { onlyIfOpen: true })) === 'counted') {
      folded += refs.length;
      continue;
    }
    const incident = await deps.store.getIncident(incidentId);
    const endedAt = incident && !isOpen(incident) ? (incident.closedAt ?? incident.dismissedAt) : undefined;
    const late = endedAt ? refs.filter((ref) => ref.receivedAt > endedAt) : [];
    const inTime = refs.filter((ref) => !late.includes(ref));
    if (inTime.length) {
      await deps.store.countAlerts(incidentId, inTime, { onlyIfOpen: false });
      folded += inTime.length;
    }
    for (const ref of late) {
      const kept = await deps.store.getAlert(incidentId, ref);
      if (!kept || kept.counted || kept.movedTo) continue;
      // Placed as a cold request would be: from the fingerprint item itself, never from a cache that may
      // still name the closed incident (and so not again onto it).
      deps.fingerprints?.forget(kept.source, kept.fingerprint);
      const { fingerprints: _cache, batcher: _batcher, ...uncached } = deps;
      const placed = await ingestAlert(uncached, asReceived(kept));
      await deps.store.markAlertMoved(incidentId, ref, { alertId: placed.alertId, incidentId: placed.incidentId });
      replaced++;
    }
  }
  return { folded, replaced };
}

function groupByIncident(alerts: readonly AttachedAlert[]): Map<string, AlertRef[]> {
  const groups = new Map<string, AlertRef[]>();
  const seen = new Set<string>();
  for (const { incidentId, alertId, receivedAt } of alerts) {
    // A batch may hold the same record twice (redelivery): one ref per alert.
    if (seen.has(`${incidentId}|${alertId}`)) continue;
    seen.add(`${incidentId}|${alertId}`);
    groups.set(incidentId, [...(groups.get(incidentId) ?? []), { alertId, receivedAt }]);
  }
  return groups;
}

/** The alert as its sender sent it (what ingest kept), with a delivery id of its own for the new placement. */
function asReceived(alert: StoredAlert): NormalisedAlert {
  return {
    source: alert.source,
    fingerprint: alert.fingerprint,
    title: alert.title,
    severity: alert.severity as Severity,
    status: alert.status,
    senderEventId: `replaced:${alert.alertId}`,
    ...(alert.occurredAt ? { occurredAt: alert.occurredAt } : {}),
    ...(alert.observedAt ? { observedAt: alert.observedAt } : {}),
    ...(alert.category ? { category: alert.category } : {}),
    ...(alert.labels ? { labels: alert.labels } : {}),
    ...(alert.link ? { link: alert.link } : {}),
    ...(alert.description ? { description: alert.description } : {}),
    ...(alert.details ? { details: alert.details } : {}),
    ...(alert.raw ? { raw: alert.raw } : {}),
  };
}
