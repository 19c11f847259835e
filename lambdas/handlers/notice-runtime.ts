import { DynamoDeliveryStore } from '../adapters/dynamo/dynamo-delivery-store.js';
import { DynamoNoticeStore } from '../adapters/dynamo/dynamo-notice-store.js';
import { DynamoNoticeLinkStore } from '../adapters/dynamo/dynamo-notice-link-store.js';
import type { LetterDeps } from '../app/letters.js';
import type { NoticeDeliveryDeps } from '../app/notices.js';
import { ConfigurationError } from '../domain/errors.js';
import type { EmailSender, RateLimiter, RecipientListStore, SendPlanner, SendQueue, SmsSender } from '../ports/notice-delivery.js';
import type { DynamoOfficerStore } from '../adapters/dynamo/dynamo-officer-store.js';
import type { Runtime } from './runtime.js';

/** The adapters a notice function brings; each function imports only the AWS clients it uses (bundle size). */
export interface NoticeAdapters {
  /** The recipient lists: all of the store, or only what the function uses (the planner reads and deletes). */
  readonly lists?: Partial<RecipientListStore>;
  readonly queue?: SendQueue;
  readonly planner?: SendPlanner;
  readonly email?: EmailSender;
  readonly sms?: SmsSender;
  readonly rate?: RateLimiter;
  /** Letter PDFs (only the sending function brings the renderer: the PDF library stays out of the other bundles). */
  readonly letters?: LetterDeps;
}

const unavailable = (what: string) => async () => {
  throw new ConfigurationError(`${what} is not available in this function`);
};

/** The recipient list store's methods this function brings (bound), the others unavailable. */
function listsFrom(lists: Partial<RecipientListStore>): RecipientListStore {
  const method = <K extends keyof RecipientListStore>(name: K): RecipientListStore[K] => (lists[name]?.bind(lists) as RecipientListStore[K] | undefined) ?? unavailable('the recipient list store');
  return { put: method('put'), open: method('open'), delete: method('delete'), uploadTarget: method('uploadTarget') };
}

/** Notice dependencies: the DynamoDB stores of every notice function, plus the adapters this function brings. */
export function noticeDeps(runtime: Runtime<DynamoOfficerStore>, adapters: NoticeAdapters): NoticeDeliveryDeps {
  const { config, store } = runtime;
  return {
    store,
    notices: new DynamoNoticeStore(runtime.doc, config.tableName, store),
    deliveries: new DynamoDeliveryStore(runtime.doc, config.tableName),
    clock: runtime.clock,
    ladder: config.ladder,
    tasks: config.tasks,
    messageContext: runtime.messageContext,
    organisation: config.organisation,
    lists: listsFrom(adapters.lists ?? {}),
    queue: adapters.queue ?? { enqueue: unavailable('the send queue') },
    planner: adapters.planner ?? { start: unavailable('the send planner') },
    email: adapters.email ?? { send: unavailable('email') },
    sms: adapters.sms ?? { send: unavailable('SMS') },
    rate: adapters.rate ?? { take: async () => undefined },
    listRetentionDays: config.notices.listRetentionDays,
    ...(config.notices.pageUrl ? { pages: { links: new DynamoNoticeLinkStore(runtime.doc, config.tableName), baseUrl: config.notices.pageUrl, linkDays: config.notices.linkDays } } : {}),
    ...(adapters.letters ? { letters: adapters.letters } : {}),
  };
}

export function required(value: string | undefined, name: string): string {
  if (!value) throw new ConfigurationError(`${name} is not configured on this function`);
  return value;
}
