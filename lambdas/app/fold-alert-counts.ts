import { carriedFields, type NormalisedAlert } from '../domain/alert.js';
import { isOpen, type Severity } from '../domain/incident-record.js';
import type { StoredAlert } from '../ports/incident-store.js';
import { ingestAlert, type IngestDeps } from './ingest-alert.js';

/** An attached alert as the alert stream shows it (its delivery record holds it): the incident it reached. */
export type AttachedAlert = StoredAlert & { readonly incidentId: string };

export interface FoldReport {
  /** Alerts kept and counted on their incident (a redelivered one is neither kept nor counted again). */
  readonly folded: number;
  /** Alerts that reached an incident after it closed, placed again (a new incident, or the one open now). */
  readonly replaced: number;
}

/**
 * Folds one incident's attached alerts into it (ADR 0011): ingest answers an attached alert after one
 * conditional put of its delivery record, without touching the incident item; the alert stream then keeps
 * the alert instances and brings the count and last-alert time up to date in batches, one transaction per
 * incident and batch, exactly once per alert.
 *
 * The attach was decided on a read of the fingerprint (or the process's cache of it), so an alert may reach
 * an incident that was closed in the meantime. Such an alert, received after the close, is not counted on
 * the closed incident: it is placed again as the alert it was (it opens a new incident, or joins the one open
 * for its fingerprint now), as an attach refused by the incident's state was retried before, and is kept on
 * the closed incident marked with where it went. Idempotent: the new placement carries a delivery id derived
 * from the alert, so a redelivered record places it once.
 */
export async function foldAlertCounts(deps: IngestDeps, incidentId: string, attached: readonly AttachedAlert[]): Promise<FoldReport> {
  // A batch may hold the same record twice (redelivery): each alert once (one transaction may not write an item twice).
  const alerts = [...new Map(attached.map((alert) => [alert.alertId, alert])).values()];
  if ((await deps.store.countAlerts(incidentId, alerts, { onlyIfOpen: true })) === 'counted') return { folded: alerts.length, replaced: 0 };
  const incident = await deps.store.getIncident(incidentId);
  const endedAt = incident && !isOpen(incident) ? (incident.closedAt ?? incident.dismissedAt) : undefined;
  const late = alerts.filter((alert) => endedAt !== undefined && alert.receivedAt > endedAt);
  const inTime = alerts.filter((alert) => !late.includes(alert));
  if (inTime.length) await deps.store.countAlerts(incidentId, inTime, { onlyIfOpen: false });
  // Placed as a cold request would be: from the fingerprint item itself, never from a cache that may still
  // name the closed incident (and so not again onto it).
  const { fingerprints, batcher: _batcher, ...uncached } = deps;
  for (const alert of late) {
    fingerprints?.forget(alert.source, alert.fingerprint);
    const placed = await ingestAlert(uncached, asReceived(alert));
    await deps.store.keepMovedAlert({ ...alert, incidentId, movedTo: { alertId: placed.alertId, incidentId: placed.incidentId } });
  }
  return { folded: inTime.length, replaced: late.length };
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
    ...carriedFields(alert),
  };
}
