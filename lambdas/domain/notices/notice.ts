import { otherControllersNamed } from './elements.js';
import { createHash } from 'node:crypto';
import { ContentChangedError, DomainValidationError, IllegalTransitionError, IncompleteError, missingText, RecipientsChangedError } from '../errors.js';

export { ContentChangedError, RecipientsChangedError };
import { samePerson } from '../identity.js';
import type { Incident, IncidentAction, TimelineEvent } from '../incident.js';
import type { RegimeClock } from '../regimes/engine.js';
import type { Jurisdiction } from '../regimes/facts.js';
import { RULE_PACKS } from '../regimes/packs/index.js';
import { incidentClocks } from '../regimes/pinned.js';
import { clean, draftNotice, type AcceptedTexts, type Draft, type RenderedNotice } from './draft.js';
import type { RecipientColumn } from './recipients.js';
import type { Organisation } from './elements.js';
import { assertFieldShape, ELEMENT_IDS, type ElementId, type Language, type NoticePack } from './notice-pack.js';
import { checkReportAnswers, reportClock, reportOwner, reportPack } from './jurisdiction-reports.js';
import { REPORTS_REGIME } from './packs/jurisdiction-reports.js';
import { checkForbiddenFields, checkVariantStates, packForNotice, US_STATES_REGIME, variantClock, variantClocks, variantStates } from './us-variants.js';

export const NOTICE_STATUSES = ['draft', 'approved', 'sending', 'sent', 'submitted', 'withdrawn'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Where the affected people's list is (encrypted, expiring) and what validating it found. */
export interface RecipientListInfo {
  readonly objectKey: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  readonly expiresAt: string;
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  /** The SHA-256 of the exact bytes validated: an approval names it, planning checks the stored object against it. */
  readonly sha256: string;
  /** The first bad rows with their line numbers (never the rows' contents). */
  readonly errors: readonly { readonly line: number; readonly column?: RecipientColumn; readonly message: string }[];  /**
   * Valid rows per jurisdiction from the list's region column (a person listed twice counts twice), for the
   * officer to compare with the facts and record them (issue 28.1); absent without a region column.
   */
  readonly regions?: RegionCounts;
}

/** What a list's region column says about where the affected people live. */
export interface RegionCounts {
  readonly byJurisdiction: Readonly<Partial<Record<Jurisdiction, number>>>;
  /** Valid rows with no region. */
  readonly withoutRegion: number;
  /** Bare two-letter regions read as countries that are also US postal abbreviations (DE: Germany, not Delaware), with their rows. */
  readonly readAsCountries: Readonly<Record<string, number>>;
}

/** The list an approval covers: the hash of the validated bytes and what validating them found. */
export interface ApprovedRecipients {
  readonly sha256: string;
  readonly valid: number;
  readonly rows: number;
}

export interface Notice {
  readonly incidentId: string;
  readonly noticeId: string;
  readonly kind: string;
  readonly packVersion: string;
  readonly regime: string;
  readonly obligation?: string;
  readonly audience: NoticePack['audience'];
  readonly language: Language;
  readonly status: NoticeStatus;
  /** The officer's words per element (audited; every change is a new version). */
  readonly fields: Readonly<Record<string, string>>;
  /** Content version: bumped by every edit; approval names the version it approved. */
  readonly version: number;
  /** Optimistic lock: bumped on every state change. */
  readonly revision: number;
  readonly followUpOf?: string;
  readonly caseReference?: string;
  /** A follow-up's initial notice was submitted then: the follow-up lists what changed since. */
  readonly followUpSince?: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly lastEditedBy: string;
  readonly lastEditedAt: string;
  /**
   * Elements whose text an officer accepted from a suggestion (task text), until an edit of that element: whose
   * text it is (they may not approve it) and its language (English: a de or fr notice still needs its own).
   */
  readonly accepted?: AcceptedTexts;
  /** Everyone who created or edited a version since the last approval (none of them may approve). Unset on older notices: createdBy and lastEditedBy. */
  readonly authors?: readonly string[];
  /**
   * What was approved: the version, and its rendered content (what is sent or submitted) with its hash; for a
   * notice sent to a list, the list attached then (its hash and counts): a list changed afterwards voids the approval.
   */
  readonly approval?: {
    readonly by: string;
    readonly at: string;
    readonly version: number;
    readonly contentHash: string;
    readonly rendered: RenderedNotice;
    readonly recipients?: ApprovedRecipients;
    /** Whether the approved content states reasons for a delay (Art. 33(1)): a submission after the deadline needs them. */
    readonly reasonsForDelay?: boolean;
  };
  readonly recipients?: RecipientListInfo;
  readonly sending?: { readonly by: string; readonly at: string; readonly planned?: number; readonly planningDoneAt?: string; readonly completedAt?: string };
  readonly submission?: { readonly submittedAt: string; readonly reference: string; readonly by: string; readonly at: string };
  readonly withdrawal?: { readonly by: string; readonly at: string; readonly reason: string };
}

export interface NoticeVersion {
  readonly noticeId: string;
  readonly version: number;
  readonly fields: Readonly<Record<string, string>>;
  readonly by: string;
  readonly at: string;
  readonly changed: readonly string[];
  /** A version that took an element's suggested text: which, and the hash of the suggestion read. */
  readonly accepted?: { readonly element: string; readonly suggestionHash: string };
}

/** A notice that lacks mandatory elements cannot be approved; says exactly which. */
export class NoticeIncompleteError extends IncompleteError {
  constructor(missing: Draft['missing'], noticeId: string) {
    super(missing, `Notice ${noticeId} cannot be approved: missing ${missing.map(missingText).join('; ')}`);
  }
}

export interface NoticeContext {
  readonly incident: Incident;
  readonly pack: NoticePack;
  readonly organisation: Organisation;
  readonly now: Date;
  /** The incident's other notices (loaded for a de or fr notice): text copied from an English one is not in the notice's language. */
  readonly otherNotices?: readonly Pick<Notice, 'noticeId' | 'language' | 'fields'>[];
}

export interface NewNoticeInput {
  readonly noticeId: string;
  readonly language?: Language;
  readonly followUpOf?: Notice;
  /** For a processor's notice: the controller it goes to (one of the facts' controllers). */
  readonly controller?: string;
  /** For a US resident notice: the states its variant covers (us-variants.ts). */
  readonly states?: readonly string[];
  /** For a report to a regulator, the consumer reporting agencies or a data owner: the clock it answers, `regime/obligation` (jurisdiction-reports.ts). */
  readonly answers?: string;
  readonly fields?: Readonly<Record<string, string>>;
}

export type NoticeAction =
  | { readonly type: 'edit'; readonly fields: Readonly<Record<string, string | null>>; readonly expectedVersion: number }
  | {
      readonly type: 'approve';
      readonly expectedVersion: number;
      /** The SHA-256 of the rendered content the approver was shown (`contentHash` of the draft they read). */
      readonly expectedContentHash: string;
      /** Optional: the per-element hashes they were shown (`elementHashes`), so a refusal can name what changed. */
      readonly reviewedElements?: Readonly<Record<string, string>>;
      /** The SHA-256 of the recipient list the approver was shown (`notice.recipients.sha256`): required once a list is attached. */
      readonly expectedRecipientsHash?: string;
    }
  /** An officer takes the suggested text of an element (shown with the draft) as the notice's text: an audited edit, by the hash of the suggestion read. */
  | { readonly type: 'accept-suggestion'; readonly element: ElementId; readonly expectedVersion: number; readonly suggestionHash: string }
  | { readonly type: 'attach-recipients'; readonly recipients: RecipientListInfo }
  | { readonly type: 'start-sending' }
  | { readonly type: 'planning-done'; readonly planned: number }
  | { readonly type: 'complete-sending'; readonly summary: string }
  | { readonly type: 'record-submission'; readonly submittedAt: string; readonly reference: string }
  | { readonly type: 'withdraw'; readonly reason: string };

export interface NoticeDecision {
  readonly notice: Notice;
  readonly event: TimelineEvent;
  readonly version?: NoticeVersion;
  /** What the incident must record in the same transaction (a submission stops the regime's clock). */
  readonly incidentAction?: IncidentAction;
}

const FIELD_MAX = 8_000;

function checkFields(fields: Readonly<Record<string, string | null>>): void {
  for (const [id, value] of Object.entries(fields)) {
    if (!(ELEMENT_IDS as readonly string[]).includes(id) && id !== 'voluntary-reason') {
      throw new DomainValidationError(`fields.${id}`, `"${id}" is not a notice element; elements: ${ELEMENT_IDS.join(', ')}`);
    }
    if (value !== null && value.length > FIELD_MAX) throw new DomainValidationError(`fields.${id}`, `at most ${FIELD_MAX} characters`);
    assertFieldShape(id, value);
  }
}

/**
 * A US resident variant carries only what its states ask for, so officer text for another element would be kept and
 * never printed (seen: `what-to-do` and `measures-taken` for Texas, Florida and Massachusetts): refused, naming what
 * the notice does carry. (Other packs' elements do not depend on the facts: the desk and the CLI show them.)
 */
function checkPackFields(pack: NoticePack, obligation: string | undefined, fields: Readonly<Record<string, string | null>>): void {
  if (!variantStates(obligation)) return;
  for (const [id, value] of Object.entries(fields)) {
    if (value === null || value.trim() === '' || id === 'voluntary-reason' || pack.elements.some((e) => e.id === id)) continue;
    throw new DomainValidationError(`fields.${id}`, `"${id}" is not an element of ${pack.name}: it would not be printed. Its elements: ${pack.elements.map((e) => e.id).join(', ')}`);
  }
}

/**
 * The clock a notice answers, for this incident (undefined when its regime does not apply): the notice's own
 * obligation (a processor's notice to one controller), else the pack's, else the regime's first clock.
 */
export function packClock(pack: NoticePack, incident: Incident, now: Date, obligation: string | undefined = pack.obligation): RegimeClock | undefined {
  if (pack.regime === US_STATES_REGIME) return variantClock(incidentClocks(RULE_PACKS, incident, now), obligation);
  if (pack.regime === REPORTS_REGIME) return reportClock(incidentClocks(RULE_PACKS, incident, now), obligation);
  const clocks = incidentClocks(RULE_PACKS, incident, now).filter((c) => c.regime === pack.regime);
  return obligation ? clocks.find((c) => c.obligation === obligation) : clocks[0];
}

/**
 * The clocks a notice's submission stops that are not stopped yet, in the order {@link packClock} picks from: a US
 * resident variant answers the resident-notice clock of every state it covers; any other notice its one clock.
 */
function clocksToStop(pack: NoticePack, incident: Incident, now: Date, obligation: string): RegimeClock[] {
  const answered = pack.regime === US_STATES_REGIME ? variantClocks(incidentClocks(RULE_PACKS, incident, now), obligation) : [packClock(pack, incident, now, obligation)].filter((c) => c !== undefined);
  return answered.filter((c) => !incident.submissions?.[`${c.regime}/${c.obligation}`]);
}

/** The incident's record-submission for a notice: the first clock, and the others the same notice answers. */
function submissionAction(clocks: readonly RegimeClock[], fields: { submittedAt: string; reference: string; noticeId: string; reasonsForDelay?: string }): IncidentAction {
  const [first, ...others] = clocks;
  return {
    type: 'record-submission',
    regime: first!.regime,
    obligation: first!.obligation,
    ...fields,
    ...(others.length ? { alsoAnswers: others.map((c) => ({ regime: c.regime, obligation: c.obligation })) } : {}),
  };
}

/** Whether the pack's notices go to a list of people (email or SMS) rather than to one portal or publication. */
export function sendsToList(pack: Pick<NoticePack, 'channels'>): boolean {
  return pack.channels.some((c) => c === 'email' || c === 'sms' || c === 'letter');
}

/** The processor's notice goes to one controller, under that controller's own DPA deadline. */
const PER_CONTROLLER = 'processor-to-controller';

/** The draft of a notice now: elements, what is missing, and every format rendered. */
/** The controller a processor's notice goes to (its obligation is `controller-notification:<name>`). */
export function noticeController(notice: Pick<Notice, 'obligation'>): string | undefined {
  // A data owner's notice goes to one owner the same way (jurisdiction-reports.ts).
  return notice.obligation?.startsWith(CONTROLLER_OBLIGATION) ? notice.obligation.slice(CONTROLLER_OBLIGATION.length) : reportOwner(notice.obligation);
}
const CONTROLLER_OBLIGATION = 'controller-notification:';

export function currentDraft(notice: Pick<Notice, 'fields' | 'language' | 'followUpOf' | 'caseReference' | 'followUpSince' | 'obligation' | 'accepted'>, context: NoticeContext): Draft {
  const controller = noticeController(notice);
  const clock = packClock(context.pack, context.incident, context.now, notice.obligation ?? context.pack.obligation);
  return draftNotice(
    {
      incident: context.incident,
      pack: context.pack.regime === REPORTS_REGIME ? reportPack(context.pack, notice.obligation) : packForNotice(context.pack, notice.obligation),
      language: notice.language,
      organisation: context.organisation,
      ...(clock ? { clock } : {}),
      ...(notice.followUpOf ? { followUp: { noticeId: notice.followUpOf, ...(notice.caseReference ? { reference: notice.caseReference } : {}), ...(notice.followUpSince ? { since: notice.followUpSince } : {}) } } : {}),
      ...(controller ? { controller } : {}),
      now: context.now,
    },
    notice.fields,
    notice.accepted,
    new Set((context.otherNotices ?? []).filter((other) => other.language === 'en').flatMap((other) => Object.values(other.fields).map(clean))),
  );
}

/** A hash of what was approved (every rendered format), so what is sent can be proven to be what was approved. */
export function contentHash(draft: Draft): string {
  return createHash('sha256').update(JSON.stringify(draft.rendered)).digest('hex');
}

/** A hash of each element's value as rendered now: an approval refused for changed content names the elements. */
export function elementHashes(draft: Draft): Record<string, string> {
  return Object.fromEntries(draft.elements.map((element) => [element.id, createHash('sha256').update(element.value ?? '').digest('hex')]));
}

/** Everyone who created or edited a version of the notice since its last approval. */
export function noticeAuthors(notice: Pick<Notice, 'authors' | 'createdBy' | 'lastEditedBy'>): readonly string[] {
  return notice.authors ?? [...new Set([notice.createdBy, notice.lastEditedBy])];
}

function withAuthor(authors: readonly string[], actor: string): readonly string[] {
  return authors.some((author) => samePerson(author, actor)) ? authors : [...authors, actor];
}

/**
 * Why the actor may not approve this draft under the four-eyes rule (undefined: they may): they created or
 * edited a version since the last approval, or recorded a fact or wrote task text that the draft renders.
 */
export function fourEyesBar(notice: Notice, draft: Draft, actor: string): string | undefined {
  if (noticeAuthors(notice).some((author) => samePerson(author, actor))) {
    return `${actor} created or edited this notice since its last approval (version ${notice.version}) and cannot also approve it`;
  }
  const rendered = draft.elements.filter((element) => element.authors?.some((author) => samePerson(author, actor)));
  if (rendered.length) {
    return `${actor} recorded facts or wrote task text that the notice renders (${rendered.map((element) => element.label).join('; ')}) and cannot also approve it`;
  }
  return undefined;
}

/** Starts a draft. The pack's regime must apply to the incident; a follow-up continues a submitted initial notice. */
export function createNotice(input: NewNoticeInput, context: NoticeContext, actor: string): NoticeDecision {
  const { pack, incident, now } = context;
  const at = now.toISOString();
  if (incident.status === 'dismissed' || incident.status === 'closed') {
    throw new IllegalTransitionError(incident.status, 'create-notice', `Incident ${incident.id} is ${incident.status}; notices are drafted for open incidents`);
  }
  const language = input.language ?? pack.languages[0]!;
  if (!pack.languages.includes(language)) {
    throw new DomainValidationError('language', `${pack.kind} is available in ${pack.languages.join(', ')}, not ${language}`);
  }
  let obligation = pack.obligation;
  if (pack.regime === PER_CONTROLLER) {
    const controllers = incidentClocks(RULE_PACKS, incident, now).filter((c) => c.regime === PER_CONTROLLER).map((c) => c.recipient);
    if (!input.controller || !controllers.includes(input.controller)) {
      throw new DomainValidationError('controller', `Name the controller this notice goes to; the incident's controllers: ${controllers.join(', ') || 'none (record facts.controllers)'}`);
    }
    obligation = `controller-notification:${input.controller}`;
  }
  if (pack.regime === US_STATES_REGIME) obligation = checkVariantStates(input.states, incident.facts);
  if (pack.regime === REPORTS_REGIME) obligation = checkReportAnswers(pack.kind, input.answers, input.controller, incident, incidentClocks(RULE_PACKS, incident, now));
  if (!packClock(pack, incident, now, obligation)) {
    throw new DomainValidationError('kind', `${pack.kind} answers ${pack.regime}, which does not apply to incident ${incident.id} (record the facts that make it apply)`);
  }
  let caseReference: string | undefined;
  if (input.followUpOf) {
    const initial = input.followUpOf;
    if (pack.audience !== 'authority') throw new DomainValidationError('followUpOf', 'Only authority notices have follow-ups (Art. 33(4)); send a new notice to people instead');
    if (initial.kind !== pack.kind) throw new DomainValidationError('followUpOf', `${initial.noticeId} is a ${initial.kind} notice, not ${pack.kind}`);
    if (!initial.submission) throw new DomainValidationError('followUpOf', `${initial.noticeId} has not been recorded as submitted yet; a follow-up continues a submitted notice and quotes its case reference`);
    caseReference = initial.submission.reference;
  }
  const fields = Object.fromEntries(Object.entries(input.fields ?? {}).filter(([, v]) => v !== undefined));
  checkFields(fields);
  checkForbiddenFields(obligation, fields);
  checkPackFields(packForNotice(pack, obligation), obligation, fields);
  const notice: Notice = {
    incidentId: incident.id,
    noticeId: input.noticeId,
    kind: pack.kind,
    packVersion: pack.version,
    regime: pack.regime,
    ...(obligation ? { obligation } : {}),
    audience: pack.audience,
    language,
    status: 'draft',
    fields,
    version: 1,
    revision: 1,
    ...(input.followUpOf ? { followUpOf: input.followUpOf.noticeId } : {}),
    ...(caseReference ? { caseReference } : {}),
    ...(input.followUpOf?.submission ? { followUpSince: input.followUpOf.submission.submittedAt } : {}),
    createdBy: actor,
    createdAt: at,
    lastEditedBy: actor,
    lastEditedAt: at,
    authors: [actor],
  };
  return {
    notice,
    version: { noticeId: notice.noticeId, version: 1, fields, by: actor, at, changed: Object.keys(fields) },
    event: {
      type: 'notice.drafted',
      at,
      actor,
      summary: `${actor} drafted ${pack.name} (${language})${caseReference ? `, follow-up to ${input.followUpOf!.noticeId} (ref. ${caseReference})` : ''}`,
      data: { noticeId: notice.noticeId, kind: pack.kind, language },
    },
  };
}

/** Why the notice may not be approved yet, from the incident's decisions and risk assessment (undefined: it may). */
function approvalBlocker(pack: NoticePack, notice: Notice, incident: Incident, now: Date): string | undefined {
  const decision = incident.decisions?.[pack.regime];
  switch (pack.approvalNeeds) {
    case 'notify-decision':
      if (!decision || !decision.confirmedBy) return `No confirmed ${pack.regime} decision to notify yet (propose-decision, then confirm-decision by another person)`;
      if (decision.stale) return `The ${pack.regime} decision predates the latest risk assessment; take it again`;
      if (!decision.notify) return `The confirmed ${pack.regime} decision is not to notify`;
      return undefined;
    case 'people-must-be-told': {
      const risk = incident.riskAssessment;
      if (!risk) return 'Assess the risk first: people are told when the breach is likely to result in a high risk (Art. 34(1))';
      if (risk.notifyPeople) return undefined;
      if (notice.fields['voluntary-reason']) return undefined;
      return risk.art34Exemption
        ? `The assessment records the Art. 34(3) exemption ${risk.art34Exemption}; to tell people anyway, give the field voluntary-reason`
        : `The assessment is ${risk.level} risk, not high: people need not be told (Art. 34(1)); to tell them anyway, give the field voluntary-reason`;
    }
    case 'public-communication':
      return incident.riskAssessment?.art34Exemption === 'c-disproportionate-effort'
        ? undefined
        : 'A public communication replaces individual notices only under the Art. 34(3)(c) exemption (disproportionate effort), which the risk assessment does not record';
    case 'regime-applies':
      if (!packClock(pack, incident, now, notice.obligation)) return `${pack.regime} no longer applies to this incident`;
      if (decision?.confirmedBy && !decision.stale && !decision.notify) return `The confirmed ${pack.regime} decision is not to notify`;
      return undefined;
  }
}

function contentChanged(name: string, draft: Draft, hash: string, reviewed: Readonly<Record<string, string>> | undefined): ContentChangedError {
  const now = elementHashes(draft);
  const changed = reviewed
    ? draft.elements.filter((element) => reviewed[element.id] !== now[element.id]).map(({ id, label }) => ({ id, label }))
    : [];
  const derived = draft.elements.filter((element) => element.source === 'derived').map((element) => element.label);
  const what = changed.length
    ? `changed: ${changed.map((element) => element.label).join('; ')}`
    : `the values breachclock fills in from the incident may have changed (${derived.join('; ') || 'none'})`;
  return new ContentChangedError(
    `${name} as rendered now is not what you reviewed (content hash now ${hash}); ${what}. Read the notice again and approve what it says now`,
    changed,
    hash,
  );
}

/** The notice workflow: draft → (edits, versions) → approved (four eyes) → sending → sent, or submitted; withdrawn. */
export function decideNotice(notice: Notice, action: NoticeAction, context: NoticeContext, actor: string): NoticeDecision {
  const at = context.now.toISOString();
  const next = (changes: Partial<Notice>): Notice => ({ ...notice, ...changes, revision: notice.revision + 1 });
  const refuse = (message: string): never => {
    throw new IllegalTransitionError(notice.status, action.type, message);
  };
  const event = (type: string, summary: string, data: Record<string, unknown> = {}): TimelineEvent => ({
    type,
    at,
    actor,
    summary,
    data: { noticeId: notice.noticeId, kind: notice.kind, ...data },
  });
  const name = `${context.pack.name} ${notice.noticeId}`;

  switch (action.type) {
    case 'edit':
    case 'accept-suggestion': {
      if (notice.status !== 'draft' && notice.status !== 'approved') refuse(`${name} is ${notice.status}; it can no longer be edited (draft a follow-up instead)`);
      if (action.expectedVersion !== notice.version) refuse(`${name} changed since you read it: it is at version ${notice.version} (by ${notice.lastEditedBy} at ${notice.lastEditedAt})`);
      const fields: Record<string, string> = { ...notice.fields };
      // An element the officer edits is their text now; an accepted one is the suggestion's writers' text, in its language.
      const accepted: Record<string, AcceptedTexts[string]> = { ...notice.accepted };
      let changed: string[];
      let what: string;
      if (action.type === 'edit') {
        checkFields(action.fields);
        checkForbiddenFields(notice.obligation, action.fields);
        checkPackFields(context.pack, notice.obligation, action.fields);
        changed = Object.keys(action.fields);
        if (!changed.length) throw new DomainValidationError('fields', 'No fields given');
        for (const [id, value] of Object.entries(action.fields)) {
          if (value === null || value.trim() === '') delete fields[id];
          else fields[id] = value;
          delete accepted[id];
        }
        what = `edited ${name} (version ${notice.version + 1}: ${changed.join(', ')})`;
      } else {
        const suggestion = currentDraft(notice, context).elements.find((e) => e.id === action.element)?.suggestion;
        if (!suggestion) refuse(`${name} has no suggested text for ${action.element}; write it (edit)`);
        if (suggestion!.hash !== action.suggestionHash) refuse(`The suggestion for ${action.element} changed since you read it (its hash now ${suggestion!.hash}); read it again and accept what it says now`);
        checkFields({ [action.element]: suggestion!.text });
        checkForbiddenFields(notice.obligation, { [action.element]: suggestion!.text });
        fields[action.element] = suggestion!.text;
        accepted[action.element] = { authors: suggestion!.authors, language: suggestion!.language };
        changed = [action.element];
        what = `accepted the suggested text for ${action.element} in ${name} (version ${notice.version + 1}, ${suggestion!.language})`;
      }
      const version = notice.version + 1;
      const voided = notice.status === 'approved';
      return {
        // An edit after an approval starts a new round of authors: only those since that approval are barred.
        notice: next({ fields, accepted, version, lastEditedBy: actor, lastEditedAt: at, status: 'draft', approval: undefined, authors: voided ? [actor] : withAuthor(noticeAuthors(notice), actor) }),
        version: { noticeId: notice.noticeId, version, fields, by: actor, at, changed, ...(action.type === 'accept-suggestion' ? { accepted: { element: action.element, suggestionHash: action.suggestionHash } } : {}) },
        event: event('notice.edited', `${actor} ${what}${voided ? `; the approval by ${notice.approval!.by} no longer holds` : ''}`, {
          version,
          changed,
          ...(action.type === 'accept-suggestion' ? { accepted: action.element, suggestionHash: action.suggestionHash } : {}),
          ...(voided ? { approvalVoided: true } : {}),
        }),
      };
    }
    case 'approve': {
      if (notice.status !== 'draft') refuse(notice.status === 'approved' ? `${name} was already approved by ${notice.approval!.by} at ${notice.approval!.at}` : `${name} is ${notice.status}`);
      if (action.expectedVersion !== notice.version) refuse(`${name} changed since you read it: it is at version ${notice.version} (by ${notice.lastEditedBy}); review that version`);
      const blocker = approvalBlocker(context.pack, notice, context.incident, context.now);
      if (blocker) refuse(blocker);
      const draft = currentDraft(notice, context);
      const bar = fourEyesBar(notice, draft, actor);
      if (bar) refuse(`Four eyes: ${bar}`);
      if (draft.missing.length) throw new NoticeIncompleteError(draft.missing, notice.noticeId);
      // One controller's data per controller (issue 26.3): another controller's name anywhere in what is sent.
      const controller = noticeController(notice);
      const others = otherControllersNamed({ incident: context.incident, pack: context.pack, language: notice.language, organisation: context.organisation, ...(controller ? { controller } : {}), now: context.now }, Object.values(draft.rendered).join('\n'));
      if (others.length) refuse(`${name} goes to ${controller} but names another controller (${others.join(', ')}): a processor's notice carries only the data of the controller it goes to (GDPR Art. 28(3)(b), 33(2))`);
      const hash = contentHash(draft);
      if (action.expectedContentHash !== hash) throw contentChanged(name, draft, hash, action.reviewedElements);
      // The audience is part of what is approved: the list attached now, by the hash the approver was shown.
      const list = sendsToList(context.pack) ? notice.recipients : undefined;
      if (list && action.expectedRecipientsHash !== list.sha256) {
        throw new RecipientsChangedError(
          action.expectedRecipientsHash
            ? `The recipient list of ${name} changed since you reviewed it: the list attached now (${list.valid} valid recipients of ${list.rows} rows) has hash ${list.sha256}. Review that list and approve it by its hash`
            : `${name} goes to a list of ${list.valid} valid recipients (of ${list.rows} rows), hash ${list.sha256}: an approval names the list hash it reviewed (expectedRecipientsHash)`,
          list.sha256,
        );
      }
      const recipients: ApprovedRecipients | undefined = list ? { sha256: list.sha256, valid: list.valid, rows: list.rows } : undefined;
      return {
        notice: next({ status: 'approved', approval: { by: actor, at, version: notice.version, contentHash: hash, rendered: draft.rendered, ...(recipients ? { recipients } : {}), reasonsForDelay: Boolean(draft.elements.find((e) => e.id === 'reasons-for-delay')?.value) } }),
        event: event(
          'notice.approved',
          `${actor} approved ${name}, version ${notice.version}${recipients ? `, to ${recipients.valid} recipients (list ${recipients.sha256.slice(0, 12)}…)` : ''}`,
          { version: notice.version, contentHash: hash, ...(recipients ? { recipientsHash: recipients.sha256, recipients: recipients.valid } : {}) },
        ),
        // The ladder's "no approved notice" step (48 h) watches the GDPR authority notice.
        ...(context.pack.audience === 'authority' && context.pack.regime === 'gdpr-art33' && !context.incident.noticeApprovedAt && !notice.followUpOf
          ? { incidentAction: { type: 'record-notice-approval' as const, noticeId: notice.noticeId, regime: context.pack.regime } }
          : {}),
      };
    }
    case 'attach-recipients': {
      if (!sendsToList(context.pack)) refuse(`${name} is not sent to a list of recipients (channels: ${context.pack.channels.join(', ')})`);
      if (notice.status !== 'draft' && notice.status !== 'approved') refuse(`${name} is ${notice.status}; its recipient list is final`);
      const r = action.recipients;
      if (!/^[0-9a-f]{64}$/.test(r.sha256 ?? '')) throw new DomainValidationError('recipients', 'A recipient list is attached with the SHA-256 of the bytes validated');
      // An upload target is single-use: the object a list was attached from is not attached again.
      if (notice.recipients?.objectKey === r.objectKey) refuse(`${r.objectKey} was already attached to ${name}; ask for a new upload URL to replace the list`);
      // The audience is part of what was approved: any list change voids the approval, said on the timeline.
      const voided = notice.status === 'approved';
      return {
        notice: next({ recipients: r, ...(voided ? { status: 'draft' as const, approval: undefined } : {}) }),
        event: event(
          'notice.recipients-uploaded',
          `${actor} uploaded ${r.rows} recipients for ${name}: ${r.valid} valid, ${r.invalid} rejected${r.errors.length ? ` (first at line ${r.errors[0]!.line})` : ''}; list hash ${r.sha256}${voided ? `; the approval by ${notice.approval!.by} no longer holds` : ''}`,
          {
            rows: r.rows,
            valid: r.valid,
            invalid: r.invalid,
            expiresAt: r.expiresAt,
            sha256: r.sha256,
            ...(voided ? { approvalVoided: true } : {}),
          },
        ),
      };
    }
    case 'start-sending': {
      if (notice.status !== 'approved') refuse(notice.status === 'draft' ? `${name} is not approved; nothing is sent without approval` : `${name} is ${notice.status}`);
      if (!sendsToList(context.pack)) refuse(`${name} is submitted through ${context.pack.channels.join(', ')}, not sent; record its submission instead`);
      if (!notice.recipients?.valid) refuse(`${name} has no valid recipients; upload the list of affected people first`);
      if (Date.parse(notice.recipients!.expiresAt) <= context.now.getTime()) refuse(`${name}'s recipient list expired at ${notice.recipients!.expiresAt}; upload it again`);
      // Belt and braces: attaching a list voids an approval, so the approved list must be the one attached.
      const approvedList = notice.approval?.recipients;
      if (!approvedList || !notice.recipients!.sha256 || approvedList.sha256 !== notice.recipients!.sha256) {
        refuse(`${name}'s recipient list (hash ${notice.recipients!.sha256 ?? 'unknown'}) is not the list that was approved (${approvedList ? `hash ${approvedList.sha256}` : 'none'}); approve it again with the list attached now`);
      }
      return {
        notice: next({ status: 'sending', sending: { by: actor, at } }),
        event: event('notice.sending', `${actor} started sending ${name} to ${notice.recipients!.valid} recipients`, { recipients: notice.recipients!.valid }),
      };
    }
    case 'planning-done':
      if (notice.status !== 'sending') refuse(`${name} is ${notice.status}`);
      return {
        notice: next({ sending: { ...notice.sending!, planned: action.planned, planningDoneAt: at } }),
        event: event('notice.queued', `${action.planned} sends of ${name} queued`, { planned: action.planned }),
      };
    case 'complete-sending': {
      if (notice.status !== 'sending') refuse(`${name} is ${notice.status}`);
      const pending = notice.obligation ? clocksToStop(context.pack, context.incident, context.now, notice.obligation) : [];
      return {
        notice: next({ status: 'sent', sending: { ...notice.sending!, completedAt: at } }),
        event: event('notice.sent', `${name}: sending complete (${action.summary})`),
        ...(pending.length
          ? { incidentAction: submissionAction(pending, { submittedAt: notice.sending!.at, reference: `${notice.noticeId}: ${action.summary}`, noticeId: notice.noticeId }) }
          : {}),
      };
    }
    case 'record-submission': {
      if (notice.status !== 'approved' && notice.status !== 'sent') {
        refuse(notice.status === 'draft' ? `${name} is not approved; approve it before it is submitted` : `${name} is ${notice.status}`);
      }
      const submittedMs = Date.parse(action.submittedAt);
      if (!Number.isFinite(submittedMs)) throw new DomainValidationError('submittedAt', `"${action.submittedAt}" is not an ISO-8601 timestamp`);
      if (submittedMs > context.now.getTime()) throw new DomainValidationError('submittedAt', 'submittedAt is in the future');
      if (notice.approval && submittedMs < Date.parse(notice.approval.at) - 60_000) {
        throw new DomainValidationError('submittedAt', `submittedAt is before the approval at ${notice.approval.at}; nothing is submitted before it is approved`);
      }
      const reference = action.reference.trim();
      if (reference.length < 2) throw new DomainValidationError('reference', "The recipient's reference (case number, receipt id, publication URL) is required");
      const submittedAt = new Date(submittedMs).toISOString();
      const clock = notice.obligation ? packClock(context.pack, context.incident, context.now, notice.obligation) : undefined;
      const alreadyRecorded = clock ? Boolean(context.incident.submissions?.[`${clock.regime}/${clock.obligation}`]) : true;
      // Lateness is judged at submission (Art. 33(1)): a notice approved in time but submitted after the deadline
      // must state the reasons for the delay, so it is edited, approved again and submitted with them.
      const statesDelay = context.pack.elements.some((e) => e.id === 'reasons-for-delay');
      if (statesDelay && clock?.dueAt && !alreadyRecorded && !notice.followUpOf && submittedMs > Date.parse(clock.dueAt) && !notice.approval?.reasonsForDelay) {
        refuse(`${name} is recorded as submitted at ${submittedAt}, after its deadline ${clock.dueAt}, but the approved content gives no reasons for the delay (${context.pack.elements.find((e) => e.id === 'reasons-for-delay')!.legalSource}): add them (reasons-for-delay), approve it again, then record the submission`);
      }
      // A follow-up (Art. 33(4)) does not stop the clock again: the initial notice did.
      const pending = notice.obligation && !notice.followUpOf ? clocksToStop(context.pack, context.incident, context.now, notice.obligation) : [];
      const incidentAction: IncidentAction | undefined = pending.length
        ? submissionAction(pending, {
            submittedAt,
            reference,
            noticeId: notice.noticeId,
            ...(notice.approval?.reasonsForDelay ? { reasonsForDelay: `stated in ${notice.noticeId}, version ${notice.approval.version} as approved` } : {}),
          })
        : undefined;
      return {
        notice: next({ status: 'submitted', submission: { submittedAt, reference, by: actor, at } }),
        event: event('notice.submitted', `${actor} recorded ${name} as submitted at ${submittedAt}, reference ${reference}`, { submittedAt, reference }),
        ...(incidentAction ? { incidentAction } : {}),
      };
    }
    case 'withdraw': {
      if (notice.status !== 'draft' && notice.status !== 'approved') refuse(`${name} is ${notice.status}; it can no longer be withdrawn`);
      const reason = action.reason.trim();
      if (reason.length < 10) throw new DomainValidationError('reason', 'A reason for withdrawing (at least 10 characters) is kept in the audit trail');
      return {
        notice: next({ status: 'withdrawn', withdrawal: { by: actor, at, reason } }),
        event: event('notice.withdrawn', `${actor} withdrew ${name}: ${reason}`),
      };
    }
  }
}
