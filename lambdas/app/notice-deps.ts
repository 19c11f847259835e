import { DomainValidationError } from '../domain/errors.js';
import type { TaskTemplates } from '../domain/tasks/templates.js';
import type { EscalationLadder } from '../domain/escalation-ladder.js';
import type { MessageContext } from '../domain/messages.js';
import type { Organisation } from '../domain/notices/elements.js';
import type { NoticePack } from '../domain/notices/notice-pack.js';
import { NOTICE_PACKS, noticePack } from '../domain/notices/packs/index.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryStore } from '../ports/delivery-store.js';
import type { IncidentReader, TimerStore } from '../ports/incident-store.js';
import type { EmailSender, RateLimiter, RecipientListStore, SendPlanner, SendQueue, SmsSender } from '../ports/notice-delivery.js';
import type { NoticeStore } from '../ports/notice-store.js';
import type { NoticePageDeps } from './notice-pages.js';
import type { LetterDeps } from './letters.js';

/*
 * What the notice use cases need (notices.ts, notice-decisions.ts, notice-sending.ts), in a module of its own so that
 * those three import it and not each other: the sender's module loads without the notice domain (ADR 0018), and no
 * import runs in a circle (test/unit/architecture.test.ts).
 */

export interface NoticeDeps {
  readonly store: Pick<IncidentReader, 'getIncident'> & Pick<TimerStore, 'listTimers'>;
  readonly notices: NoticeStore;
  readonly clock: Clock;
  readonly ladder: EscalationLadder;
  readonly tasks?: TaskTemplates;
  readonly messageContext?: MessageContext;
  readonly organisation: Organisation;
}

export interface NoticeDeliveryDeps extends NoticeDeps {
  readonly deliveries: DeliveryStore;
  readonly lists: RecipientListStore;
  readonly queue: SendQueue;
  readonly planner: SendPlanner;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly rate: RateLimiter;
  /** Days an uploaded list is kept before it expires (and is deleted). */
  readonly listRetentionDays: number;
  /** Recipients per queue message. */
  readonly chunkSize?: number;
  /** How long a claimed send may take before it counts as interrupted (and is parked, never re-sent). */
  readonly sendLeaseMs?: number;
  /** Private links to the notice page, for the SMS to people without email (issue 26.5); needed when a list has such people. */
  readonly pages?: Omit<NoticePageDeps, 'notices' | 'clock'>;
  /** Letter PDFs: the renderer and where they are kept (only the sending function bundles the PDF library). */
  readonly letters?: LetterDeps;
}

export function packOf(kind: string): NoticePack {
  const pack = noticePack(kind);
  if (!pack) throw new DomainValidationError('kind', `Unknown notice kind "${kind}"; kinds: ${NOTICE_PACKS.map((p) => p.kind).join(', ')}`);
  return pack;
}
