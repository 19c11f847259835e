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

/**
 * Planning found the stored list is not the list that was approved (its SHA-256 differs: the object was
 * overwritten or replaced). Nothing was queued; retrying does not help: the notice stays \`sending\` with
 * nothing planned until an officer looks (docs/notices.md).
 */
export class RecipientListChangedError extends Error {
  constructor(
    readonly incidentId: string,
    readonly noticeId: string,
    readonly approvedHash: string | undefined,
    readonly storedHash: string,
  ) {
    super(`The stored recipient list of ${noticeId} (incident ${incidentId}) has hash ${storedHash}, not the approved ${approvedHash ?? '(none)'}: nothing was queued`);
    this.name = 'RecipientListChangedError';
  }
}
