import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfigurationError, IllegalTransitionError, DomainValidationError } from '../domain/errors.js';
import type { TaskTemplates } from '../domain/tasks/templates.js';
import type { EscalationLadder } from '../domain/escalation-ladder.js';
import type { Incident } from '../domain/incident.js';
import type { MessageContext } from '../domain/messages.js';
import type { Organisation } from '../domain/notices/elements.js';
import type { Language, NoticePack } from '../domain/notices/notice-pack.js';
import { contentHash, elementHashes, createNotice, sendsToList, currentDraft, decideNotice, type Notice, type NoticeAction, type NoticeContext, type NoticeDecision, type RecipientListInfo, type RegionCounts } from '../domain/notices/notice.js';
import { NOTICE_PACKS, noticePack } from '../domain/notices/packs/index.js';
import { groupUsResidentVariants, packForNotice, type UsResidentGrouping } from '../domain/notices/us-variants.js';
import { channelOf, checkHeader, recipientKey, validateRow, type Recipient, type RecipientColumn } from '../domain/notices/recipients.js';
import { reachOf } from '../domain/notices/reach.js';
import { NOTICE_LINK_SLOT } from '../domain/notices/draft.js';
import { issueNoticeLink, type NoticePageDeps } from './notice-pages.js';
import { writeLetter, writeLetterBatch, type LetterDeps } from './letters.js';
import type { Jurisdiction } from '../domain/regimes/facts.js';
import type { Clock } from '../ports/clock.js';
import type { DeliveryProgress, DeliveryStore, NoticeRef } from '../ports/delivery-store.js';
import type { IncidentReader, TimerStore } from '../ports/incident-store.js';
import { PermanentSendError, SendNotAcceptedError, type EmailSender, type RateLimiter, type RecipientListStore, type SendChunk, type SendPlanner, type SendQueue, type SmsSender } from '../ports/notice-delivery.js';
import type { NoticeStore } from '../ports/notice-store.js';
import { decisionWrite } from './act-on-incident.js';
import { IncidentNotFoundError, NoticeNotFoundError, RecipientListChangedError } from './errors.js';

export { NoticeNotFoundError, RecipientListChangedError };
// The SES events function imports it from its own module (no notice packs in that bundle: ADR 0018).
export { recordProviderEvent, type ProviderEvent } from './notice-provider-events.js';
import { retryOnConflict } from './retry.js';

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

function packOf(kind: string): NoticePack {
  const pack = noticePack(kind);
  if (!pack) throw new DomainValidationError('kind', `Unknown notice kind "${kind}"; kinds: ${NOTICE_PACKS.map((p) => p.kind).join(', ')}`);
  return pack;
}

async function load(deps: NoticeDeps, incidentId: string, noticeId: string): Promise<{ incident: Incident; notice: Notice; context: NoticeContext }> {
  const [incident, notice] = await Promise.all([deps.store.getIncident(incidentId), deps.notices.getNotice(incidentId, noticeId)]);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  if (!notice) throw new NoticeNotFoundError(incidentId, noticeId);
  // A de or fr notice is checked against the English notices' text (copied, not translated: still missing).
  const otherNotices = notice.language === 'en' ? [] : (await deps.notices.listNotices(incidentId)).filter((other) => other.noticeId !== noticeId);
  return { incident, notice, context: { incident, pack: packForNotice(packOf(notice.kind), notice.obligation), organisation: deps.organisation, now: deps.clock.now(), otherNotices } };
}

async function save(deps: NoticeDeps, decision: NoticeDecision, expectedRevision: number, incident: Incident, actor: string): Promise<void> {
  const incidentWrite = decision.incidentAction ? await decisionWrite(deps, incident, decision.incidentAction, actor, deps.clock.now()) : undefined;
  await deps.notices.saveNotice({
    notice: decision.notice,
    expectedRevision,
    event: decision.event,
    incidentState: { id: incident.id, version: incident.version, trail: incident.trail },
    ...(decision.version ? { version: decision.version } : {}),
    ...(incidentWrite ? { incident: incidentWrite } : {}),
  });
}

export interface NewNoticeRequest {
  readonly kind: string;
  readonly language?: Language;
  readonly followUpOf?: string;
  readonly controller?: string;
  /** A US resident notice: the states of its variant. */
  readonly states?: readonly string[];
  /** A report (regulator, consumer reporting agencies, data owner): the clock it answers, `regime/obligation`. */
  readonly answers?: string;
  readonly fields?: Readonly<Record<string, string>>;
}

/**
 * The US resident notice variants of the incident's recorded jurisdictions (issue 28.5): which states each
 * covers and why, California's own pack, and the codes without research.
 */
export async function usResidentVariantsFor(deps: NoticeDeps, incidentId: string): Promise<UsResidentGrouping> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  return groupUsResidentVariants((incident.facts?.jurisdictions ?? []).map((j) => j.code));
}

/** Drafts a notice from the incident's facts, risk and decisions. */
export async function draftNoticeFor(deps: NoticeDeps, incidentId: string, request: NewNoticeRequest, actor: string): Promise<Notice> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new IncidentNotFoundError(incidentId);
  const pack = packOf(request.kind);
  const followUpOf = request.followUpOf ? await deps.notices.getNotice(incidentId, request.followUpOf) : undefined;
  if (request.followUpOf && !followUpOf) throw new DomainValidationError('followUpOf', `No notice ${request.followUpOf} on incident ${incidentId}`);
  const noticeId = `NTC-${pack.kind}-${randomBytes(4).toString('hex')}`;
  const decision = createNotice(
    {
      noticeId,
      ...(request.language ? { language: request.language } : {}),
      ...(followUpOf ? { followUpOf } : {}),
      ...(request.controller ? { controller: request.controller } : {}),
      ...(request.states ? { states: request.states } : {}),
      ...(request.answers ? { answers: request.answers } : {}),
      ...(request.fields ? { fields: request.fields } : {}),
    },
    { incident, pack, organisation: deps.organisation, now: deps.clock.now() },
    actor,
  );
  await save(deps, decision, 0, incident, actor);
  return decision.notice;
}

/** Applies a workflow action; an approval keeps the rendered content it approved, which is what is sent. */
export async function actOnNotice(deps: NoticeDeps & { readonly planner?: SendPlanner }, incidentId: string, noticeId: string, action: NoticeAction, actor: string): Promise<Notice> {
  const notice = await retryOnConflict(async () => {
    const { incident, notice, context } = await load(deps, incidentId, noticeId);
    const decision = decideNotice(notice, action, context, actor);
    await save(deps, decision, notice.revision, incident, actor);
    return decision.notice;
  });
  if (action.type === 'start-sending' && deps.planner) await deps.planner.start({ incidentId, noticeId });
  return notice;
}

export interface NoticeView {
  readonly notice: Notice;
  readonly pack: { readonly kind: string; readonly name: string; readonly legalSource: string; readonly channels: readonly string[] };
  readonly draft: ReturnType<typeof currentDraft>;
  /** The SHA-256 of the draft as rendered now: an approval names it (`expectedContentHash`) and is refused if it moved. */
  readonly contentHash: string;
  /** A hash per element as rendered now: sent back with an approval (`reviewedElements`), a refusal names what changed. */
  readonly elementHashes: Readonly<Record<string, string>>;
  /** What was approved, unchanged since (the content that is sent or submitted). */
  readonly approvedContent?: { readonly contentHash: string; readonly matchesDraft: boolean };
  /** The list an approval names (`expectedRecipientsHash`), when the notice goes to a list and one is attached. */
  readonly recipients?: {
    readonly sha256: string;
    readonly valid: number;
    readonly rows: number;
    /** The list's region column per jurisdiction, and where it differs from the recorded facts (for the officer to confirm). */
    readonly regions?: RegionCounts & { readonly differFromFacts: readonly { readonly code: string; readonly list: number; readonly facts: number | null }[] };
  };
  /** The list that was approved, and whether it is still the one attached. */
  readonly approvedRecipients?: { readonly sha256: string; readonly valid: number; readonly rows: number; readonly matchesList: boolean };
  readonly progress?: DeliveryProgress & { readonly planned?: number; readonly percent: number };
}

export async function noticeView(deps: NoticeDeps & { readonly deliveries?: DeliveryStore }, incidentId: string, noticeId: string): Promise<NoticeView> {
  const { notice, context, incident } = await load(deps, incidentId, noticeId);
  const draft = currentDraft(notice, context);
  const hash = contentHash(draft);
  const progress = deps.deliveries && notice.sending ? await deps.deliveries.progress({ incidentId, noticeId }) : undefined;
  return {
    notice,
    pack: { kind: context.pack.kind, name: context.pack.name, legalSource: context.pack.legalSource, channels: context.pack.channels },
    draft,
    contentHash: hash,
    elementHashes: elementHashes(draft),
    ...(notice.approval ? { approvedContent: { contentHash: notice.approval.contentHash, matchesDraft: hash === notice.approval.contentHash } } : {}),
    ...(notice.recipients
      ? {
          recipients: {
            sha256: notice.recipients.sha256,
            valid: notice.recipients.valid,
            rows: notice.recipients.rows,
            ...(notice.recipients.regions ? { regions: { ...notice.recipients.regions, differFromFacts: regionsAgainstFacts(notice.recipients.regions, incident) } } : {}),
          },
        }
      : {}),
    ...(notice.approval?.recipients ? { approvedRecipients: { ...notice.approval.recipients, matchesList: notice.approval.recipients.sha256 === notice.recipients?.sha256 } } : {}),
    ...(progress ? { progress: { ...progress, ...(notice.sending?.planned !== undefined ? { planned: notice.sending.planned } : {}), percent: percentDone(progress, notice.sending?.planned) } } : {}),
  };
}

/**
 * Where a list's region counts differ from the facts (only jurisdictions the list names: a list may hold only
 * the people reachable by this notice's channel). `facts: null` = not recorded.
 */
function regionsAgainstFacts(regions: RegionCounts, incident: Incident): { code: string; list: number; facts: number | null }[] {
  const recorded = new Map((incident.facts?.jurisdictions ?? []).map((j) => [j.code as string, j.affected]));
  return Object.entries(regions.byJurisdiction)
    .map(([code, list]) => ({ code, list: list ?? 0, facts: recorded.get(code) ?? null }))
    .filter((row) => row.facts !== row.list)
    .sort((a, b) => a.code.localeCompare(b.code));
}

function accounted(progress: DeliveryProgress): number {
  return progress.sent + progress.failed + progress.parked + progress.duplicates;
}

function percentDone(progress: DeliveryProgress, planned: number | undefined): number {
  if (!planned) return 0;
  return Math.min(100, Math.floor((accounted(progress) / planned) * 1000) / 10);
}

// ---- the list of affected people ---------------------------------------------------------------------

const MAX_ERRORS_KEPT = 100;

interface ParsedList {
  /** The SHA-256 of the exact bytes read (and validated). */
  sha256: string;
  rows: number;
  valid: number;
  invalid: number;
  errors: { line: number; column?: RecipientColumn; message: string }[];
  regions?: RegionCounts;
}


/**
 * Streams a CSV of recipients through csv-parse and the row validator: a bad row is reported with its line
 * number and skipped, never fatal; a bad header stops at once. `onValid` sees each valid row in order.
 */
export async function readRecipients(source: Readable, pack: NoticePack, language: Language, onValid?: (recipient: Recipient) => Promise<void> | void): Promise<ParsedList> {
  // The CSV parser is imported when a list is first read: a chunk of its own in the bundles (ADR 0018), so the
  // planner's invocations that plan nothing (a sending notice already planned) never compile it.
  const { parse } = await import('csv-parse');
  const result: ParsedList = { sha256: '', rows: 0, valid: 0, invalid: 0, errors: [] };
  // The hash of exactly the bytes the parser sees: what an approval names and planning checks again.
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const reject = (line: number, message: string, column?: RecipientColumn) => {
    result.invalid++;
    if (result.errors.length < MAX_ERRORS_KEPT) result.errors.push({ line, ...(column ? { column } : {}), message });
  };
  let headerProblem: string | undefined;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      headerProblem = checkHeader(header);
      if (headerProblem) throw new DomainValidationError('recipients', `line 1: ${headerProblem}`);
      const columns = header.map((h) => h.trim().toLowerCase());
      hasRegion = columns.includes('region');
      return columns;
    },
    skip_empty_lines: true,
    skip_records_with_error: true,
    relax_column_count: false,
    info: true,
    max_record_size: 4096,
  });
  parser.on('skip', (error: { lines?: number; message: string }) => {
    result.rows++;
    reject(error.lines ?? 0, `not a well-formed CSV row (${error.message.replace(/:.*$/, '')})`);
  });
  const channels = reachOf(pack);
  // The region column's counts (issue 28.1): reported with the list, recorded as facts only by an officer.
  let hasRegion = false;
  const byJurisdiction: Partial<Record<Jurisdiction, number>> = {};
  const readAsCountries: Record<string, number> = {};
  let withoutRegion = 0;
  const countRegion = (recipient: Recipient) => {
    if (!recipient.region) return void withoutRegion++;
    byJurisdiction[recipient.region] = (byJurisdiction[recipient.region] ?? 0) + 1;
    if (recipient.regionLooksLikeUsState) readAsCountries[recipient.regionLooksLikeUsState] = (readAsCountries[recipient.regionLooksLikeUsState] ?? 0) + 1;
  };
  const feeding = pipeline(source, hashing, parser).catch((error: unknown) => {
    if (error instanceof DomainValidationError) throw error;
    throw new DomainValidationError('recipients', `The recipient list is not a CSV file csv-parse can read: ${(error as Error).message.slice(0, 200)}`);
  });
  const consuming = (async () => {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      result.rows++;
      const row = validateRow(record, info.lines, [language], channels);
      if (!row.ok) {
        reject(row.line, row.message.includes('not available in') ? `${row.message}; draft the notice in that language for these rows` : row.message, row.column);
        continue;
      }
      result.valid++;
      if (hasRegion) countRegion(row.recipient);
      if (onValid) await onValid(row.recipient);
    }
  })();
  await Promise.all([feeding, consuming]);
  result.sha256 = hash.digest('hex');
  if (hasRegion) result.regions = { byJurisdiction, withoutRegion, readAsCountries };
  return result;
}

async function loadForList(deps: NoticeDeliveryDeps, incidentId: string, noticeId: string) {
  const loaded = await load(deps, incidentId, noticeId);
  const { notice, context } = loaded;
  if (!sendsToList(context.pack)) {
    throw new IllegalTransitionError(notice.status, 'upload-recipients', `${context.pack.name} is not sent to a list of recipients`);
  }
  if (notice.status !== 'draft' && notice.status !== 'approved') throw new IllegalTransitionError(notice.status, 'upload-recipients', `Notice ${noticeId} is ${notice.status}; its recipient list is final`);
  return loaded;
}

const listPrefix = (incidentId: string, noticeId: string) => `recipients/${incidentId}/${noticeId}/`;

/** Records a validated list on the notice (or refuses a list without one valid row, deleting it). */
async function attachList(deps: NoticeDeliveryDeps, notice: Notice, objectKey: string, parsed: ParsedList, expiresAt: Date, actor: string): Promise<Notice> {
  if (!parsed.valid) {
    await deps.lists.delete(objectKey).catch(() => undefined);
    throw new DomainValidationError('recipients', `No valid recipient in ${parsed.rows} rows${parsed.errors.length ? `; first problems: ${parsed.errors.slice(0, 5).map((e) => `line ${e.line}: ${e.message}`).join('; ')}` : ''}`);
  }
  const recipients: RecipientListInfo = { objectKey, uploadedBy: actor, uploadedAt: deps.clock.now().toISOString(), expiresAt: expiresAt.toISOString(), ...parsed };
  if (notice.recipients?.objectKey === objectKey) {
    throw new IllegalTransitionError(notice.status, 'upload-recipients', `${objectKey} was already attached to ${notice.noticeId}; an upload URL serves one list: ask for a new one`);
  }
  const previous = notice.recipients?.objectKey;
  const updated = await actOnNotice(deps, notice.incidentId, notice.noticeId, { type: 'attach-recipients', recipients }, actor);
  if (previous && previous !== objectKey) await deps.lists.delete(previous).catch(() => undefined);
  return updated;
}

/** For a list too large for the API: where to PUT it (a presigned S3 URL on AWS), valid for 15 minutes. */
export async function recipientUploadTarget(deps: NoticeDeliveryDeps, incidentId: string, noticeId: string): Promise<{ objectKey: string; url: string; method: 'PUT'; headers: Record<string, string>; validUntil: string }> {
  await loadForList(deps, incidentId, noticeId);
  const objectKey = `${listPrefix(incidentId, noticeId)}${randomUUID()}.csv`;
  const validUntil = new Date(Date.now() + 15 * 60_000);
  return { objectKey, ...(await deps.lists.uploadTarget(objectKey, validUntil)), validUntil: validUntil.toISOString() };
}

/** Validates a list uploaded to its upload target (streamed from the store, row by row) and attaches it. */
export async function attachUploadedRecipients(deps: NoticeDeliveryDeps, incidentId: string, noticeId: string, objectKey: string, actor: string): Promise<Notice> {
  const { notice, context } = await loadForList(deps, incidentId, noticeId);
  if (!objectKey.startsWith(listPrefix(incidentId, noticeId)) || objectKey.includes('..')) {
    throw new DomainValidationError('objectKey', `Not an upload of this notice: ask for an upload URL first (POST …/recipients/upload-url)`);
  }
  let source: Readable;
  try {
    source = await deps.lists.open(objectKey);
  } catch (error) {
    throw new DomainValidationError('objectKey', `Nothing was uploaded at ${objectKey} (${(error as Error).name})`);
  }
  const parsed = await readRecipients(source, context.pack, notice.language);
  return attachList(deps, notice, objectKey, parsed, new Date(deps.clock.now().getTime() + deps.listRetentionDays * 86_400_000), actor);
}

/** Stores the uploaded list (encrypted, expiring) while validating it row by row; attaches the result to the notice. */
export async function uploadRecipients(deps: NoticeDeliveryDeps, incidentId: string, noticeId: string, body: Readable, actor: string): Promise<Notice> {
  const { notice, context } = await loadForList(deps, incidentId, noticeId);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.listRetentionDays * 86_400_000);
  const objectKey = `${listPrefix(incidentId, noticeId)}${randomUUID()}.csv`;
  const toStore = new PassThrough();
  const toParse = new PassThrough();
  body.on('data', (chunk: Buffer) => {
    toStore.write(chunk);
    if (!toParse.write(chunk)) {
      body.pause();
      toParse.once('drain', () => body.resume());
    }
  });
  body.on('end', () => {
    toStore.end();
    toParse.end();
  });
  body.on('error', (error) => {
    toStore.destroy(error);
    toParse.destroy(error);
  });
  let parsed: ParsedList;
  try {
    [parsed] = await Promise.all([readRecipients(toParse, context.pack, notice.language), deps.lists.put(objectKey, toStore, expiresAt)]);
  } catch (error) {
    await deps.lists.delete(objectKey).catch(() => undefined);
    throw error;
  }
  return attachList(deps, notice, objectKey, parsed, expiresAt, actor);
}

// ---- sending -----------------------------------------------------------------------------------------

/**
 * Streams the stored list into queue messages of `chunkSize` recipients (bounded memory at any size), then
 * records how many sends were queued. Running it again (a crash, a retry) queues the same chunks again:
 * each recipient's send is idempotent, so nobody is told twice.
 */
export async function planNoticeSends(deps: NoticeDeliveryDeps, ref: NoticeRef): Promise<{ planned: number; chunks: number }> {
  const { notice, context } = await load(deps, ref.incidentId, ref.noticeId);
  if (notice.status !== 'sending') return { planned: 0, chunks: 0 };
  if (notice.sending?.planningDoneAt) return { planned: notice.sending.planned ?? 0, chunks: 0 };
  const size = deps.chunkSize ?? 100;
  let batch: Recipient[] = [];
  let pending: SendChunk[] = [];
  let index = 0;
  const flush = async (force: boolean) => {
    if (batch.length && (force || batch.length >= size)) {
      pending.push({ ...ref, index: index++, recipients: batch });
      batch = [];
    }
    if (pending.length && (force || pending.length >= 10)) {
      await deps.queue.enqueue(pending);
      pending = [];
    }
  };
  // First pass: the stored object must be the list that was approved, byte for byte, before anything is queued.
  const approved = notice.approval?.recipients?.sha256;
  const stored = await sha256Of(await deps.lists.open(notice.recipients!.objectKey));
  if (!approved || stored !== approved || stored !== notice.recipients!.sha256) throw new RecipientListChangedError(ref.incidentId, ref.noticeId, approved, stored);
  const source = await deps.lists.open(notice.recipients!.objectKey);
  const parsed = await readRecipients(source, context.pack, notice.language, async (recipient) => {
    batch.push(recipient);
    await flush(false);
  });
  await flush(true);
  await actOnNotice(deps, ref.incidentId, ref.noticeId, { type: 'planning-done', planned: parsed.valid }, 'breachclock');
  await completeIfDone(deps, ref);
  return { planned: parsed.valid, chunks: index };
}

async function sha256Of(source: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function mask(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  return `${address.slice(0, 3)}***${address.slice(-2)}`;
}

/** A letter's address as kept with the delivery record: the country and the postcode's first characters only. */
function maskLetter(recipient: Recipient): string {
  const { country, postcode } = recipient.postal!;
  return `letter ${country}${postcode ? ` ${postcode.slice(0, 2)}***` : ''}`;
}

export interface ChunkReport {
  readonly sent: number;
  readonly skipped: number;
  readonly duplicates: number;
  readonly failed: number;
  readonly parked: number;
}

/** A transient failure mid-chunk: the chunk is redelivered later (SQS visibility timeout); done recipients are no-ops. */
export class ChunkRetryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChunkRetryError';
  }
}

/**
 * Sends one chunk: for each recipient, claim → pace → send → record. A retry, a redelivery or a crash never
 * sends anyone twice: a claim that finds an interrupted send parks it for review instead of re-sending.
 */
export async function sendChunk(deps: NoticeDeliveryDeps, chunk: SendChunk): Promise<ChunkReport> {
  const notice = await deps.notices.getNotice(chunk.incidentId, chunk.noticeId);
  if (!notice) throw new NoticeNotFoundError(chunk.incidentId, chunk.noticeId);
  const report = { sent: 0, skipped: 0, duplicates: 0, failed: 0, parked: 0 };
  if (notice.status !== 'sending' && notice.status !== 'sent') return { ...report, skipped: chunk.recipients.length };
  const content = notice.approval?.rendered;
  if (!content) throw new Error(`Notice ${notice.noticeId} has no approved content`);
  // The variant's pack for a US resident notice: its states' email rules chose each person's channel at planning.
  const pack = packForNotice(packOf(notice.kind), notice.obligation);
  const reach = reachOf(pack);
  const leaseMs = deps.sendLeaseMs ?? 120_000;
  for (const recipient of chunk.recipients) {
    const { channel, address } = channelOf(recipient, reach);
    const key = recipientKey(notice.noticeId, address);
    const claim = await deps.deliveries.claim(chunk, key, { line: recipient.line, channel, maskedAddress: channel === 'letter' ? maskLetter(recipient) : mask(address) }, deps.clock.now(), leaseMs);
    if (claim.outcome === 'busy') throw new ChunkRetryError(`recipient at line ${recipient.line} is being sent by another worker`);
    if (claim.outcome === 'duplicate') {
      report.duplicates++;
      continue;
    }
    if (claim.outcome === 'parked') {
      report.parked++;
      continue;
    }
    if (claim.outcome === 'done') {
      report.skipped++;
      continue;
    }
    // An SMS links to the whole notice: an approved SMS text without the link (approved before issue 26.5, when
    // it said "we have emailed you") is never sent to someone who got no email.
    if (channel === 'sms' && !content.sms?.includes(NOTICE_LINK_SLOT)) {
      await deps.deliveries.markFailed(chunk, key, 'the approved SMS text has no link to the notice page: edit the notice and approve it again', deps.clock.now());
      report.failed++;
      continue;
    }
    // What must exist before anything goes out (the private link, the letter's PDF): a failure here sent nothing.
    let prepared: { smsText?: string; letterId?: string };
    try {
      prepared = await prepareSend(deps, notice, recipient, channel, key, content.sms);
    } catch (error) {
      await deps.deliveries.release(chunk, key, `not prepared: ${(error as Error).name}`, deps.clock.now());
      throw new ChunkRetryError(`sending paused at line ${recipient.line}: ${(error as Error).message}`, { cause: error });
    }
    if (prepared.letterId) {
      await deps.deliveries.markSent(chunk, key, prepared.letterId, deps.clock.now());
      report.sent++;
      continue;
    }
    await deps.rate.take();
    const tags = { incidentId: notice.incidentId, noticeId: notice.noticeId, recipient: key };
    try {
      const { messageId } =
        channel === 'email'
          ? await deps.email.send({ to: address, subject: content.subject, text: content.text, ...(content.html ? { html: content.html } : {}), tags })
          : await deps.sms.send({ phone: address, text: prepared.smsText!, tags });
      await deps.deliveries.markSent(chunk, key, messageId, deps.clock.now());
      report.sent++;
    } catch (error) {
      if (error instanceof PermanentSendError) {
        await deps.deliveries.markFailed(chunk, key, error.message, deps.clock.now());
        report.failed++;
        continue;
      }
      if (error instanceof SendNotAcceptedError) {
        await deps.deliveries.release(chunk, key, error.message, deps.clock.now());
        throw new ChunkRetryError(`sending paused at line ${recipient.line}: ${error.message}`, { cause: error });
      }
      // It may have gone out (a timeout after the provider accepted it): never risk telling someone twice.
      await deps.deliveries.park(chunk, key, `outcome unknown: ${(error as Error).name ?? 'error'}`, deps.clock.now());
      report.parked++;
    }
  }
  await completeIfDone(deps, chunk);
  return report;
}

/**
 * The part of a send that goes before the provider: an SMS's private link to the notice page (issued for this
 * person and the approved version, its hash stored), a letter's PDF (rendered and stored: for a letter that is
 * the send; the printed batch is mailed by the organisation).
 */
async function prepareSend(deps: NoticeDeliveryDeps, notice: Notice, recipient: Recipient, channel: 'email' | 'sms' | 'letter', key: string, sms: string | undefined): Promise<{ smsText?: string; letterId?: string }> {
  if (channel === 'sms') {
    if (!deps.pages) throw new ConfigurationError('The notice page (NOTICE_PAGE_URL) is not configured: an SMS must link to the notice');
    const link = await issueNoticeLink({ ...deps.pages, notices: deps.notices, clock: deps.clock }, { incidentId: notice.incidentId, noticeId: notice.noticeId }, notice.approval!.version, key);
    return { smsText: sms!.split(NOTICE_LINK_SLOT).join(link.url) };
  }
  if (channel === 'letter') {
    if (!deps.letters) throw new ConfigurationError('Letters are not configured in this function');
    const letter = await writeLetter(deps.letters, notice, recipient, key, deps.organisation);
    return { letterId: `letter:${letter.sha256.slice(0, 32)}` };
  }
  return {};
}

/** Marks the notice sent once every queued recipient is accounted for (sent, failed, parked or duplicate). */
export async function completeIfDone(deps: NoticeDeliveryDeps, ref: NoticeRef): Promise<boolean> {
  const notice = await deps.notices.getNotice(ref.incidentId, ref.noticeId);
  if (!notice || notice.status !== 'sending' || notice.sending?.planned === undefined) return false;
  const progress = await deps.deliveries.progress(ref);
  if (accounted(progress) < notice.sending.planned) return false;
  const summary = `${progress.sent} sent, ${progress.failed} failed, ${progress.parked} parked for review, ${progress.duplicates} duplicate addresses collapsed`;
  try {
    await actOnNotice(deps, ref.incidentId, ref.noticeId, { type: 'complete-sending', summary }, 'breachclock');
  } catch (error) {
    if (error instanceof IllegalTransitionError) return false; // another worker completed it first
    throw error;
  }
  // The letters written, bound into one print-ready file (by the sending function, which has the renderer).
  if (deps.letters) await writeLetterBatch(deps.letters, ref);
  // The list has served its purpose: the delivery records are the proof, the addresses go.
  if (notice.recipients) await deps.lists.delete(notice.recipients.objectKey).catch(() => undefined);
  return true;
}
