import type { EscalationLadder } from '../domain/escalation-ladder.js';
import { planTimers } from '../domain/escalation-ladder.js';
import { openIncident, type Severity } from '../domain/incident.js';
import { stateChangeMessage, type MessageContext } from '../domain/messages.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/ids.js';
import {
  ConcurrentUpdateError,
  DuplicateDeliveryError,
  FingerprintTakenError,
  type IncidentStore,
  type StoredAlert,
} from '../ports/incident-store.js';
import { backoffMs, sleep } from './retry.js';

/** One alert after normalisation, whatever tool sent it. */
export interface NormalisedAlert {
  readonly source: string;
  readonly fingerprint: string;
  readonly title: string;
  readonly severity: Severity;
  readonly occurredAt?: string;
  readonly observedAt?: string;
  readonly senderEventId?: string;
  readonly details?: Record<string, unknown>;
}

export interface IngestResult {
  readonly alertId: string;
  readonly incidentId: string;
  /** The alert attached to an incident that was already open (same fingerprint). */
  readonly deduplicated: boolean;
  /** The sender delivered this very event before (same event id): it was not counted again. */
  readonly duplicateDelivery: boolean;
}

/** Too much contention to place the alert; the caller should retry (503). Nothing was written. */
export class IngestContentionError extends Error {
  constructor(readonly fingerprint: string, options?: { cause?: unknown }) {
    super(`Could not place alert with fingerprint ${fingerprint} after repeated concurrent updates; retry`, options);
    this.name = 'IngestContentionError';
  }
}

export interface IngestDeps {
  readonly store: IncidentStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly ladder: EscalationLadder;
  readonly messageContext?: MessageContext;
  readonly maxAttempts?: number;
}

/**
 * Opens an incident for a new fingerprint or counts the alert on the open one. Race-safe: the fingerprint
 * item is created in the same transaction as the incident, so of two racing requests one opens and the
 * other attaches.
 */
export async function ingestAlert(deps: IngestDeps, alert: NormalisedAlert): Promise<IngestResult> {
  const maxAttempts = deps.maxAttempts ?? 12;
  const alertId = deps.ids.alertId();
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (attempt > 0) await sleep(backoffMs(attempt));
    const now = deps.clock.now();
    const receivedAt = now.toISOString();
    try {
      if (alert.senderEventId) {
        const previous = await deps.store.findDelivery(alert.source, alert.senderEventId);
        if (previous) return { ...previous, deduplicated: true, duplicateDelivery: true };
      }
      const openId = await deps.store.findOpenIncidentId(alert.source, alert.fingerprint);
      if (openId) {
        await deps.store.attachAlert(storedAlert(alert, alertId, openId, receivedAt));
        return { alertId, incidentId: openId, deduplicated: true, duplicateDelivery: false };
      }
      const opened = openIncident(
        {
          id: deps.ids.incidentId(now),
          title: alert.title,
          severity: alert.severity,
          source: alert.source,
          fingerprint: alert.fingerprint,
          ...(alert.occurredAt ? { occurredAt: alert.occurredAt } : {}),
          ...(alert.observedAt ? { observedAt: alert.observedAt } : {}),
        },
        now,
      );
      await deps.store.openIncident({
        incident: opened.incident,
        alert: storedAlert(alert, alertId, opened.incident.id, receivedAt),
        event: opened.event,
        timers: planTimers(opened.incident, deps.ladder),
        outbox: [stateChangeMessage(opened.incident, opened.event, now, deps.messageContext)],
      });
      return { alertId, incidentId: opened.incident.id, deduplicated: false, duplicateDelivery: false };
    } catch (error) {
      if (error instanceof DuplicateDeliveryError) {
        return { alertId: error.alertId, incidentId: error.incidentId, deduplicated: true, duplicateDelivery: true };
      }
      if (error instanceof FingerprintTakenError || error instanceof ConcurrentUpdateError) {
        lastError = error;
        continue;
      }
      throw error;
    }
  }
  throw new IngestContentionError(alert.fingerprint, { cause: lastError });
}

function storedAlert(alert: NormalisedAlert, alertId: string, incidentId: string, receivedAt: string): StoredAlert {
  return {
    alertId,
    incidentId,
    source: alert.source,
    fingerprint: alert.fingerprint,
    title: alert.title,
    severity: alert.severity,
    receivedAt,
    ...(alert.occurredAt ? { occurredAt: alert.occurredAt } : {}),
    ...(alert.observedAt ? { observedAt: alert.observedAt } : {}),
    ...(alert.senderEventId ? { senderEventId: alert.senderEventId } : {}),
    ...(alert.details ? { details: alert.details } : {}),
  };
}
