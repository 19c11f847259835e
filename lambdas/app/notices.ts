import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IllegalTransitionError, DomainValidationError } from '../domain/errors.js';
import type { Incident } from '../domain/incident.js';
import type { Language, NoticePack } from '../domain/notices/notice-pack.js';
import { contentHash, elementHashes, createNotice, sendsToList, currentDraft, type Notice, type RecipientListInfo, type RegionCounts } from '../domain/notices/notice.js';
import { groupUsResidentVariants, type UsResidentGrouping } from '../domain/notices/us-variants.js';
import { checkHeader, validateRow, type Recipient, type RecipientColumn } from '../domain/notices/recipients.js';
import { reachOf } from '../domain/notices/reach.js';
import type { Jurisdiction } from '../domain/regimes/facts.js';
import type { DeliveryProgress, DeliveryStore, NoticeRef } from '../ports/delivery-store.js';
import type { SendChunk } from '../ports/notice-delivery.js';
import { IncidentNotFoundError, NoticeNotFoundError, RecipientListChangedError } from './errors.js';
import { actOnNotice, loadNotice, saveDecision } from './notice-decisions.js';
import { accounted, completeIfDone } from './notice-sending.js';
import { packOf, type NoticeDeps, type NoticeDeliveryDeps } from './notice-deps.js';

export { NoticeNotFoundError, RecipientListChangedError };
// The SES events function imports it from its own module (no notice packs in that bundle: ADR 0018).
export { recordProviderEvent, type ProviderEvent } from './notice-provider-events.js';
// The sender imports them from their own module (no notice domain at its cold start: ADR 0018).
export { sendChunk, completeIfDone, ChunkRetryError, type ChunkReport } from './notice-sending.js';
export { actOnNotice };
export type { NoticeDeps, NoticeDeliveryDeps } from './notice-deps.js';

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
  await saveDecision(deps, decision, 0, incident, actor);
  return decision.notice;
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
  const { notice, context, incident } = await loadNotice(deps, incidentId, noticeId);
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
  const loaded = await loadNotice(deps, incidentId, noticeId);
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
  const { notice, context } = await loadNotice(deps, ref.incidentId, ref.noticeId);
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

