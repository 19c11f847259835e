import type { Incident, TimelineEvent } from '../domain/incident.js';
import type { Notice, NoticeVersion } from '../domain/notices/notice.js';
import type { DecisionWrite } from './incident-store.js';

export interface NoticeWrite {
  readonly notice: Notice;
  /** The revision the decision was taken on (0 to create); the write fails with ConcurrentUpdateError if it moved. */
  readonly expectedRevision: number;
  readonly version?: NoticeVersion;
  readonly event: TimelineEvent;
  /** The incident as read: the notice's event joins its hash-chained trail, under its version. */
  readonly incidentState: Pick<Incident, 'id' | 'version' | 'trail'>;
  /** The incident's own change in the same transaction (a submission stops its clock). */
  readonly incident?: DecisionWrite;
}

/** Port for the notice aggregate: notices, their versions, and their events on the incident's timeline. */
export interface NoticeStore {
  getNotice(incidentId: string, noticeId: string): Promise<Notice | undefined>;
  listNotices(incidentId: string): Promise<Notice[]>;
  listVersions(incidentId: string, noticeId: string): Promise<NoticeVersion[]>;
  /** Atomic: notice, version, timeline event and the incident's change, or nothing (ConcurrentUpdateError). */
  saveNotice(write: NoticeWrite): Promise<void>;
}
