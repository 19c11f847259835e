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
