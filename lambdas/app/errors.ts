/** The incident does not exist. */
export class IncidentNotFoundError extends Error {
  constructor(readonly incidentId: string) {
    super(`Incident ${incidentId} not found`);
    this.name = 'IncidentNotFoundError';
  }
}

export class NoticeNotFoundError extends Error {
  constructor(readonly incidentId: string, readonly noticeId: string) {
    super(`Notice ${noticeId} of incident ${incidentId} not found`);
    this.name = 'NoticeNotFoundError';
  }
}

/** Too much contention to place the alert; the caller should retry (503). Nothing was written. */
export class IngestContentionError extends Error {
  constructor(readonly fingerprint: string, options?: { cause?: unknown }) {
    super(`Could not place alert with fingerprint ${fingerprint} after repeated concurrent updates; retry`, options);
    this.name = 'IngestContentionError';
  }
}
