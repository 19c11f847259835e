import type { AlertIntake, StoredAlert } from '../ports/alert-store.js';

type Attach = StoredAlert & { readonly incidentId: string };

interface Pending {
  readonly alert: Attach;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for alert storms: alerts attaching to the same incident while a write for it is in flight
 * are written together in the next transaction (one `ADD alertCount n` and their alert records), instead of
 * one transaction each fighting over the incident item. No added latency: the first alert is written at
 * once; only those arriving meanwhile wait for the next batch. Each batch is atomic; if it fails, its alerts
 * are retried one by one so each gets its own outcome (duplicate delivery, incident no longer open …).
 */
export class AttachBatcher {
  private readonly queues = new Map<string, Pending[]>();
  private readonly flushing = new Set<string>();

  constructor(
    private readonly store: Pick<AlertIntake, 'attachAlert' | 'attachAlerts'>,
    private readonly maxBatch = 24,
  ) {}

  attach(alert: Attach): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(alert.incidentId) ?? [];
      queue.push({ alert, resolve, reject });
      this.queues.set(alert.incidentId, queue);
      if (!this.flushing.has(alert.incidentId)) void this.flush(alert.incidentId);
    });
  }

  private async flush(incidentId: string): Promise<void> {
    this.flushing.add(incidentId);
    try {
      for (let queue = this.queues.get(incidentId); queue?.length; queue = this.queues.get(incidentId)) {
        const batch = queue.splice(0, this.maxBatch);
        if (!queue.length) this.queues.delete(incidentId);
        await this.write(batch);
      }
    } finally {
      this.flushing.delete(incidentId);
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await this.store.attachAlerts(batch.map((p) => p.alert));
        for (const pending of batch) pending.resolve();
        return;
      } catch {
        // Fall through: one by one, so each alert gets its own outcome.
      }
    }
    await Promise.all(
      batch.map((pending) =>
        this.store.attachAlert(pending.alert).then(
          () => pending.resolve(),
          (error: unknown) => pending.reject(error),
        ),
      ),
    );
  }
}
