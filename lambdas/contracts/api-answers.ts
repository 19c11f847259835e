import type { FullTrailVerification } from '../app/trail-anchoring.js';
import type { NoticeView, recipientUploadTarget } from '../app/notices.js';
import type { IncidentDetail } from '../ports/incident-store.js';
import type { DeliveryRecord } from '../ports/delivery-store.js';
import type { Role } from '../domain/role-names.js';
import type { Permission } from '../domain/roles.js';
import type { NoticeStatus, NoticeVersion, RecipientListInfo } from '../domain/notices/notice.js';
import type { UsResidentGrouping } from '../domain/notices/us-variants.js';
import type { RegisterEntry } from '../domain/register.js';
import type { alertWithoutPayload, incidentView, messageWithoutText, summary, TaskView } from './incident-views.js';
import type { noticeListItem, packSummary } from './notice-views.js';

/**
 * What the API answers, as types: the handlers build their answers `satisfies` these, and the desk
 * (lambdas/dashboard/src) reads the API through them, so a change of an answer's shape breaks the desk's
 * typecheck instead of the desk in a browser. Types only: nothing here reaches a bundle.
 */

export type { Permission, Role };

/** Every 4xx/5xx: what was wrong and where (docs/api.md). */
export interface ErrorAnswer {
  readonly error: { readonly code: string; readonly message: string; readonly details?: readonly { readonly path: string; readonly message: string }[]; readonly requestId?: string };
}

/** GET /api/me */
export interface MeAnswer {
  readonly actor: string;
  readonly roles: readonly Role[];
  readonly permissions: readonly Permission[];
}

/** An incident in a list (and in the answer to an action). */
export type IncidentSummary = ReturnType<typeof summary>;
/** One regime clock of an incident (every applicable obligation of every regime). */
export type RegimeClockView = IncidentSummary['regimeClocks'][number];

/** GET /api/incidents */
export interface IncidentPageAnswer {
  readonly now: string;
  readonly incidents: readonly IncidentSummary[];
  readonly next: string | null;
}

/** One incident in full. */
export type IncidentFull = ReturnType<typeof incidentView>;

/** GET /api/incidents/{id} */
export interface IncidentDetailAnswer {
  readonly now: string;
  readonly incident: IncidentFull;
  readonly timers: IncidentDetail['timers'];
  readonly taskKinds: readonly { readonly kind: string; readonly label: string }[];
  readonly timeline: IncidentDetail['timeline'];
  readonly messages: readonly ReturnType<typeof messageWithoutText<IncidentDetail['messages'][number]>>[];
  readonly recentAlerts: readonly ReturnType<typeof alertWithoutPayload<IncidentDetail['recentAlerts'][number]>>[];
}

/** POST /api/incidents/{id}/actions */
export interface IncidentActionAnswer {
  readonly incident: IncidentSummary;
}

/** GET /api/incidents/{id}/trail */
export type TrailAnswer = { readonly incidentId: string; readonly checkedAt: string } & FullTrailVerification;

/** One task of GET /api/tasks, with its incident. */
export type TaskListItem = TaskView & { readonly incidentId: string; readonly incidentTitle: string; readonly incidentSeverity: string };

/** GET /api/tasks */
export interface TaskPageAnswer {
  readonly now: string;
  readonly owner: string | null;
  readonly tasks: readonly TaskListItem[];
  readonly next: string | null;
}

/** One notice kind: its audience, languages, elements with their legal sources (GET /api/notice-packs). */
export type NoticePackSummary = ReturnType<typeof packSummary>[number];

/** GET /api/notice-packs */
export interface NoticePacksAnswer {
  readonly packs: readonly NoticePackSummary[];
}

/** A notice of GET /api/incidents/{id}/notices. */
export type NoticeListItem = ReturnType<typeof noticeListItem>;

/** GET /api/incidents/{id}/notices */
export interface NoticeListAnswer {
  readonly notices: readonly NoticeListItem[];
  /** The US resident notice's variants for the incident's recorded states (issue 28.5). */
  readonly usResidentVariants: UsResidentGrouping;
}

/** The notice view: POST …/notices (201) and POST …/notices/{noticeId}/actions. */
export type NoticeViewAnswer = NoticeView;

/** GET /api/incidents/{id}/notices/{noticeId}: the view with its versions and the deliveries needing review. */
export type NoticeDetailAnswer = NoticeView & { readonly versions: readonly NoticeVersion[]; readonly needsReview: readonly DeliveryRecord[] };

/** PUT|POST /api/incidents/{id}/notices/{noticeId}/recipients: the validated list (counts, hash, errors by line, regions) and the notice's status. */
export interface RecipientsAnswer {
  readonly recipients: RecipientListInfo | undefined;
  readonly status: NoticeStatus;
}

/** POST /api/incidents/{id}/notices/{noticeId}/recipients/upload-url: where to PUT a larger list. */
export type UploadTargetAnswer = Awaited<ReturnType<typeof recipientUploadTarget>>;

/** GET /api/register (JSON): the Art. 33(5) register of a period. */
export interface RegisterAnswer {
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly truncated: boolean;
  readonly stoppedAtDeadline?: true;
  readonly entries: readonly RegisterEntry[];
}
