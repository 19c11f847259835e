/**
 * Remembers which incident holds a fingerprint for a few seconds, so an alert storm does not read the
 * fingerprint item for every alert. Safe to be stale: attaching is conditioned on the incident still being
 * open, and a failed attach forgets the entry and looks it up again.
 */
export class FingerprintCache {
  private readonly entries = new Map<string, { incidentId: string; until: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  private static key(source: string, fingerprint: string): string {
    return `${source}\u0000${fingerprint}`;
  }

  get(source: string, fingerprint: string): string | undefined {
    const key = FingerprintCache.key(source, fingerprint);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.nowMs()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.incidentId;
  }

  set(source: string, fingerprint: string, incidentId: string): void {
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest entry (Map keeps insertion order).
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(FingerprintCache.key(source, fingerprint), { incidentId, until: this.nowMs() + this.ttlMs });
  }

  forget(source: string, fingerprint: string): void {
    this.entries.delete(FingerprintCache.key(source, fingerprint));
  }
}
