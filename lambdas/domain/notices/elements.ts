import { creditReportingAgenciesText } from './credit-reporting-agencies.js';
import { measuresProposed, measuresTaken, measureTaskAuthors } from '../tasks/tasks.js';
import type { Incident } from '../incident.js';
import { effectiveFacts, type RegimeClock } from '../regimes/engine.js';
import { residentsAffected } from './jurisdiction-reports.js';
import type { ElementId, Language, NoticePack } from './notice-pack.js';

/** Who the notices come from: the controller (or processor) and its DPO or contact point (Art. 33(3)(b)). */
export interface Organisation {
  readonly name: string;
  readonly dpo: { readonly name: string; readonly email: string; readonly phone?: string };
  readonly website?: string;
  readonly postalAddress?: string;
  /** Set on the stand-in profile used while ORGANISATION is unset: its name and contact count as missing. */
  readonly placeholder?: boolean;
}

/**
 * A profile that is not a real organisation's: the stand-in (ORGANISATION unset), or a contact at a domain
 * reserved for examples (RFC 2606: example.com, .net, .org). Its name and contact point are never derived, so
 * no notice carrying them can be approved (issue 26.1), on the local stack or on AWS.
 */
export function isPlaceholderOrganisation(organisation: Organisation): boolean {
  const domain = organisation.dpo.email.split('@').pop()?.toLowerCase() ?? '';
  return organisation.placeholder === true || /(^|\.)example\.(com|net|org)$/.test(domain);
}

export interface ElementContext {
  readonly incident: Incident;
  readonly pack: NoticePack;
  readonly language: Language;
  readonly organisation: Organisation;
  /** The clock this notice answers, if the pack names one (its deadline decides "late"). */
  readonly clock?: RegimeClock;
  /** For a follow-up (Art. 33(4)): the initial notice and the authority's reference it was given. */
  readonly followUp?: { readonly noticeId: string; readonly reference?: string; /** When the initial notice was submitted: what changed since is listed first. */ readonly since?: string };
  /** A processor's notice to one controller: only that controller's share is derived (Art. 33(2), 28(3)(f)). */
  readonly controller?: string;
  readonly now: Date;
}

type Dictionary = Readonly<Record<string, string>>;

/** Labels of derived values, per language (people's notices must be in their language, Art. 34(2)). */
const WORDS: Readonly<Record<Language, Dictionary>> = {
  en: {
    initial: 'Initial notification',
    'follow-up': 'Follow-up notification (Art. 33(4))',
    confidentiality: 'confidentiality',
    integrity: 'integrity',
    availability: 'availability',
    contact: 'contact details',
    identity: 'identity data',
    credentials: 'passwords and login data',
    payment: 'payment card data',
    financial: 'financial data',
    health: 'health data',
    'special-category': 'special categories of data (Art. 9)',
    criminal: 'criminal offence data',
    location: 'location data',
    'government-id': 'government identifiers',
    usage: 'usage data',
    biometric: 'biometric data',
    other: 'other data',
    customers: 'customers',
    children: 'children',
    staff: 'staff',
    patients: 'patients',
    partners: 'business partners',
    none: 'none',
    yes: 'yes',
    no: 'no',
    detected: 'detected',
    aware: 'aware since',
    people: 'people',
    encrypted: 'The data was encrypted and the key was not compromised.',
    'encrypted-key-lost': 'The data was encrypted, but the key may be compromised.',
    unencrypted: 'The data was not encrypted.',
    'told-yes': 'Yes: the people affected are being told (Art. 34(1)).',
    'told-a': 'No: the data is unintelligible to others (encrypted, key safe), Art. 34(3)(a).',
    'told-b': 'No: measures taken since remove the high risk, Art. 34(3)(b).',
    'told-c': 'No individual notices: a public communication instead (disproportionate effort), Art. 34(3)(c).',
    'told-not-high': 'No: the breach is not likely to result in a high risk to people (Art. 34(1)).',
    'no-other': 'No other authority has been notified so far.',
    alert: 'An alert from',
    hours: 'hours',
  },
  de: {
    initial: 'Erstmeldung',
    'follow-up': 'Folgemeldung (Art. 33 Abs. 4)',
    confidentiality: 'Vertraulichkeit',
    integrity: 'Integrität',
    availability: 'Verfügbarkeit',
    contact: 'Kontaktdaten',
    identity: 'Identitätsdaten',
    credentials: 'Passwörter und Zugangsdaten',
    payment: 'Zahlungskartendaten',
    financial: 'Finanzdaten',
    health: 'Gesundheitsdaten',
    'special-category': 'besondere Kategorien personenbezogener Daten (Art. 9)',
    criminal: 'Daten über Straftaten',
    location: 'Standortdaten',
    'government-id': 'amtliche Kennnummern',
    usage: 'Nutzungsdaten',
    biometric: 'biometrische Daten',
    other: 'sonstige Daten',
    customers: 'Kundinnen und Kunden',
    children: 'Kinder',
    staff: 'Beschäftigte',
    patients: 'Patientinnen und Patienten',
    partners: 'Geschäftspartner',
    none: 'keine',
    yes: 'ja',
    no: 'nein',
    detected: 'entdeckt',
    aware: 'Kenntnis seit',
    people: 'Personen',
    encrypted: 'Die Daten waren verschlüsselt, der Schlüssel ist nicht betroffen.',
    'encrypted-key-lost': 'Die Daten waren verschlüsselt, der Schlüssel ist möglicherweise betroffen.',
    unencrypted: 'Die Daten waren nicht verschlüsselt.',
    'told-yes': 'Ja: die betroffenen Personen werden benachrichtigt (Art. 34 Abs. 1).',
    'told-a': 'Nein: die Daten sind für Dritte unverständlich (verschlüsselt), Art. 34 Abs. 3 lit. a.',
    'told-b': 'Nein: nachträgliche Maßnahmen beseitigen das hohe Risiko, Art. 34 Abs. 3 lit. b.',
    'told-c': 'Keine Einzelbenachrichtigung: öffentliche Bekanntmachung (unverhältnismäßiger Aufwand), Art. 34 Abs. 3 lit. c.',
    'told-not-high': 'Nein: voraussichtlich kein hohes Risiko für die Personen (Art. 34 Abs. 1).',
    'no-other': 'Bisher wurde keine andere Behörde benachrichtigt.',
    alert: 'Eine Meldung von',
    hours: 'Stunden',
  },
  fr: {
    initial: 'Notification initiale',
    'follow-up': 'Notification complémentaire (art. 33, par. 4)',
    confidentiality: 'confidentialité',
    integrity: 'intégrité',
    availability: 'disponibilité',
    contact: 'coordonnées',
    identity: "données d'identité",
    credentials: 'mots de passe et identifiants',
    payment: 'données de carte de paiement',
    financial: 'données financières',
    health: 'données de santé',
    'special-category': 'catégories particulières de données (art. 9)',
    criminal: 'données relatives aux infractions',
    location: 'données de localisation',
    'government-id': "numéros d'identification officiels",
    usage: "données d'utilisation",
    biometric: 'données biométriques',
    other: 'autres données',
    customers: 'clients',
    children: 'enfants',
    staff: 'salariés',
    patients: 'patients',
    partners: 'partenaires commerciaux',
    none: 'aucune',
    yes: 'oui',
    no: 'non',
    detected: 'détectée le',
    aware: 'connue depuis le',
    people: 'personnes',
    encrypted: "Les données étaient chiffrées et la clé n'a pas été compromise.",
    'encrypted-key-lost': 'Les données étaient chiffrées, mais la clé a pu être compromise.',
    unencrypted: "Les données n'étaient pas chiffrées.",
    'told-yes': 'Oui : les personnes concernées sont informées (art. 34, par. 1).',
    'told-a': 'Non : les données sont incompréhensibles pour des tiers (chiffrées), art. 34, par. 3, a).',
    'told-b': 'Non : des mesures ultérieures suppriment le risque élevé, art. 34, par. 3, b).',
    'told-c': 'Pas de notification individuelle : communication publique (efforts disproportionnés), art. 34, par. 3, c).',
    'told-not-high': 'Non : la violation ne présente pas de risque élevé pour les personnes (art. 34, par. 1).',
    'no-other': "Aucune autre autorité n'a été notifiée à ce jour.",
    alert: 'Une alerte de',
    hours: 'heures',
  },
};

export function word(language: Language, key: string): string {
  return WORDS[language][key] ?? WORDS.en[key] ?? key;
}

const list = (language: Language, keys: readonly string[] | undefined): string | undefined =>
  keys?.length ? keys.map((k) => word(language, k)).join(', ') : undefined;

/**
 * A processor's notice to one controller (issue 26.3): that controller's people, records and categories as
 * recorded for it in facts.controllers, its own DPA deadline, and nothing incident-wide (totals, other
 * controllers' names, task text that may quote them). What is not recorded for the controller is left to the
 * officer: better a missing element than another customer's data.
 */
function deriveForController(id: ElementId, context: ElementContext): string | undefined {
  const { language } = context;
  const w = (key: string) => word(language, key);
  const controller = effectiveFacts(context.incident.facts).controllers?.find((c) => c.name === context.controller);
  switch (id) {
    case 'data-categories':
      return list(language, controller?.dataCategories);
    case 'people-categories':
      return list(language, controller?.peopleCategories);
    case 'approx-people':
      return controller?.affected !== undefined ? `${controller.affected} ${w('people')}` : undefined;
    case 'approx-records':
      return controller?.records !== undefined ? String(controller.records) : undefined;
    case 'controller-deadline':
      // Addressed to this controller, with the deadline its DPA sets, or "without undue delay" (Art. 33(2)) and
      // breachclock's internal 24-hour target when no contractual deadline is recorded.
      if (!controller) return undefined;
      return controller.contractualHours !== undefined
        ? `${controller.name}: ${controller.contractualHours} ${w('hours')} (data processing agreement)`
        : `${controller.name}: without undue delay (GDPR Art. 33(2); no contractual deadline recorded, our target 24 ${w('hours')})`;
    default:
      return deriveElement(id, { ...context, pack: { ...context.pack, audience: 'authority' } });
  }
}

/** Another controller's name in a processor's notice to one controller (issue 26.3): never approvable. */
export function otherControllersNamed(context: ElementContext, text: string): string[] {
  if (context.pack.audience !== 'controller') return [];
  const own = context.controller ? [context.controller, shortName(context.controller)] : [];
  // The recipient's own names are taken out first, so another controller's name inside them is not a match.
  let lower = text.toLowerCase();
  for (const name of own.filter((n): n is string => !!n).sort((a, b) => b.length - a.length)) lower = lower.split(name.toLowerCase()).join(' ');
  return (effectiveFacts(context.incident.facts).controllers ?? [])
    .filter((c) => c.name !== context.controller && c.name.trim().length >= 2)
    .filter((c) => {
      if (lower.includes(c.name.toLowerCase())) return true;
      // Its name without the legal form ("Shop B" for "Shop B SARL"), as a whole word, unless the recipient shares it.
      const short = shortName(c.name);
      if (!short || own.some((n) => n && n.toLowerCase() === short.toLowerCase())) return false;
      return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(short.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lower);
    })
    .map((c) => c.name);
}

const LEGAL_FORM = /[\s,]+(gmbh|ag|kg|sarl|s\.?a\.?r\.?l\.?|sas|sa|s\.?a\.?|ltd\.?|limited|llc|inc\.?|plc|b\.?v\.?|n\.?v\.?|corp\.?|co\.?|s\.?p\.?a\.?|s\.?r\.?l\.?|oy|ab|as|aps)$/i;

/** A controller's name without its legal form, when that leaves a name of at least four characters. */
function shortName(name: string): string | undefined {
  const short = name.trim().replace(LEGAL_FORM, '').trim();
  return short !== name.trim() && short.length >= 4 ? short : undefined;
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * UTC, unambiguous for an authority reading it anywhere: "2026-11-20 15:00 UTC"; in a notice to people of one
 * place (the pack's `timeZone`), that place's time, named: "November 27, 2026 at 6:15 PM PST".
 */
export function formatInstant(iso: string, timeZone?: string): string {
  if (timeZone) return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso)).replace(/\s/g, ' ').replace(/(\d{1,2}:\d{2} [AP]M)$/, (t) => `${t} ${zoneName(iso, timeZone)}`);
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

const zoneName = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;

const SPECIAL = ['health', 'special-category', 'criminal'] as const;

/** What breachclock knows for each element, from the incident and the organisation profile (undefined: an officer must say). */
export function deriveElement(id: ElementId, context: ElementContext): string | undefined {
  if (context.pack.audience === 'controller') return deriveForController(id, context);
  const { incident, language } = context;
  const facts = effectiveFacts(incident.facts);
  const risk = incident.riskAssessment;
  const w = (key: string) => word(language, key);
  switch (id) {
    case 'notice-type':
      return context.followUp ? w('follow-up') : w('initial');
    case 'case-reference':
      return context.followUp?.reference ?? chainedSubmission(context)?.reference;
    case 'organisation':
      return isPlaceholderOrganisation(context.organisation) ? undefined : context.organisation.name;
    case 'contact-point': {
      if (isPlaceholderOrganisation(context.organisation)) return undefined;
      const { dpo } = context.organisation;
      return [dpo.name, dpo.email, dpo.phone, context.organisation.postalAddress].filter(Boolean).join(', ');
    }
    case 'occurred-at': {
      const at = facts.occurredAt ?? incident.occurredAt;
      return at ? formatInstant(new Date(at).toISOString(), context.pack.timeZone) : undefined;
    }
    case 'discovered-at': {
      // A regime that counts from its own awareness (NIS2: of the significant incident) states that one, never the
      // personal-data awareness; until it is confirmed for the regime, the officer says when it was.
      const own = incident.regimeAwareness?.[context.pack.regime];
      const zone = context.pack.timeZone;
      if (own) return `${w('detected')} ${formatInstant(incident.detectedAt, zone)}; ${w('aware')} ${formatInstant(own.awareAt, zone)}`;
      if (context.clock?.trigger === 'regimeAwareAt') return undefined;
      return `${w('detected')} ${formatInstant(incident.detectedAt, zone)}${incident.awareAt ? `; ${w('aware')} ${formatInstant(incident.awareAt, zone)}` : ''}`;
    }
    case 'how-discovered':
      return `${w('alert')} ${incident.source}`;
    case 'cia':
      return list(language, risk?.input.breachTypes);
    case 'data-categories':
      return list(language, facts.dataCategories);
    case 'special-categories': {
      if (!facts.dataCategories) return undefined;
      return list(language, facts.dataCategories.filter((c) => (SPECIAL as readonly string[]).includes(c))) ?? w('none');
    }
    case 'people-categories':
      return list(language, facts.peopleCategories);
    case 'approx-people': {
      const counted = (facts.jurisdictions ?? []).filter((j) => j.affected > 0);
      if (!counted.length) return undefined;
      const total = counted.reduce((sum, j) => sum + j.affected, 0);
      return `${total} ${w('people')} (${counted.map((j) => `${j.code}: ${j.affected}`).join(', ')})`;
    }
    case 'safeguards':
      if (!facts.encryption) return undefined;
      return facts.encryption.encrypted ? w(facts.encryption.keyCompromised ? 'encrypted-key-lost' : 'encrypted') : w('unencrypted');
    case 'people-told': {
      if (!risk) return undefined;
      if (risk.notifyPeople) return w('told-yes');
      if (risk.art34Exemption) return w(`told-${risk.art34Exemption[0]}`);
      return w('told-not-high');
    }
    case 'other-authorities': {
      const others = Object.values(incident.submissions ?? {}).filter((s) => s.regime !== context.pack.regime);
      return others.length ? others.map((s) => `${s.regime} ${s.obligation}: ${formatInstant(s.submittedAt)}, ref. ${s.reference}`).join('; ') : w('no-other');
    }
    case 'reasons-for-delay':
      return incident.decisions?.[context.pack.regime]?.reasonsForDelay;
    case 'suspected-malicious':
      return risk ? w(risk.input.malicious ? 'yes' : 'no') : undefined;
    case 'controller-deadline': {
      const controllers = facts.controllers ?? [];
      return controllers.length ? controllers.map((c) => `${c.name}: ${c.contractualHours ?? 24} ${w('hours')}`).join(', ') : undefined;
    }
    // California 1798.82(d)(2)(C): "The notification shall also include the date of the notice" (the day it is rendered).
    case 'notice-date':
      return context.pack.timeZone ? new Intl.DateTimeFormat('en-US', { timeZone: context.pack.timeZone, dateStyle: 'long' }).format(context.now) : context.now.toISOString().slice(0, 10);
    // 1798.82(d)(2)(D): whether notification was delayed as a result of a law enforcement investigation.
    case 'law-enforcement-delay':
      if (facts.lawEnforcementDelay === undefined) return undefined;
      return facts.lawEnforcementDelay ? 'Notification was delayed as a result of a law enforcement investigation.' : 'Notification was not delayed by a law enforcement investigation.';
    // 1798.82(d)(2)(F): only where a Social Security, driver's licence or identification card number was exposed.
    case 'credit-agencies':
      return facts.dataCategories?.includes('government-id') ? creditReportingAgenciesText() : undefined;
    // HHS form, Section 4: when the individual notices went out (the recorded submission of that obligation).
    case 'individuals-notified-at': {
      const sent = Object.values(incident.submissions ?? {}).find((s) => s.regime === 'hipaa-breach' && s.obligation === 'individual-notice');
      return sent ? formatInstant(sent.submittedAt) : undefined;
    }
    // A regulator's report: the residents of its own jurisdiction as recorded (jurisdiction-reports.ts), never the total.
    case 'residents-affected':
      return residentsAffected(context.pack, facts);
    // The response tasks' text is internal (hosts, tickets, UTC times, English): only a suggestion (suggestElement).
    case 'measures-taken':
    case 'measures-proposed':
    case 'identity-theft-services':
    case 'severity-impact':
    case 'indicators-of-compromise':
    case 'root-cause':
    case 'toll-free-number':
    case 'breach-type':
    case 'information-location':
    case 'exemption-reason':
    case 'nature':
    case 'approx-records':
    case 'likely-consequences':
    case 'what-to-do':
    case 'cross-border-impact':
      return undefined; // the officer's words
  }
}

/**
 * Text breachclock suggests to the officer for an element, never rendered by itself (issue 26.2): the response
 * tasks' titles and notes, with UTC times (completed ones as taken, open ones as proposed). It is internal and in
 * English: an officer accepts it for a notice (an audited edit) or writes their own. A notice to one controller
 * (audience controller: a processor's, a business associate's) gets none (task text may name other clients).
 */
export function suggestElement(id: ElementId, context: ElementContext): { readonly text: string; readonly language: Language; readonly authors: string[] } | undefined {
  const { incident } = context;
  if (context.pack.audience === 'controller' || (id !== 'measures-taken' && id !== 'measures-proposed')) return undefined;
  const since = context.followUp?.since;
  const text =
    id === 'measures-taken'
      ? measuresTaken(incident.tasks, since ? { since } : {})
      : measuresProposed(incident.tasks, incident);
  return text ? { text, language: 'en', authors: [...new Set(measureTaskAuthors(incident.tasks, id === 'measures-taken' ? 'taken' : 'proposed'))] } : undefined;
}

/** The recorded submission of the earlier report a chained report quotes (NIS2: the early warning's, the notification's reference). */
function chainedSubmission(context: ElementContext) {
  const { pack, incident } = context;
  return pack.referenceOf ? Object.values(incident.submissions ?? {}).find((s) => s.regime === pack.regime && s.obligation === pack.referenceOf) : undefined;
}

/** The recorded facts each derived element renders (their recorders wrote part of the notice). */
const FACTS_RENDERED: Partial<Record<ElementId, readonly string[]>> = {
  'occurred-at': ['occurredAt'],
  'data-categories': ['dataCategories'],
  'special-categories': ['dataCategories'],
  'people-categories': ['peopleCategories'],
  'approx-people': ['jurisdictions'],
  'residents-affected': ['jurisdictions'],
  safeguards: ['encryption'],
  'controller-deadline': ['controllers'],
  'law-enforcement-delay': ['lawEnforcementDelay'],
  'credit-agencies': ['dataCategories'],
};

/**
 * Who wrote what a derived element renders: the recorders of its facts, the writers of the task text it
 * quotes, the proposer of the reasons for delay. Four eyes: none of them may approve a notice that renders it.
 */
export function derivedAuthors(id: ElementId, context: ElementContext): string[] {
  const { incident } = context;
  const facts = (FACTS_RENDERED[id] ?? []).flatMap((key) => incident.factAuthors?.[key] ?? []);
  switch (id) {
    case 'reasons-for-delay': {
      const decision = incident.decisions?.[context.pack.regime];
      return decision?.reasonsForDelay ? [...facts, decision.proposedBy] : facts;
    }
    // The risk assessment's inputs (breach types, malice) and its Art. 34 outcome: chosen by its assessor.
    case 'cia':
    case 'people-told':
    case 'suspected-malicious':
      return incident.riskAssessment ? [...facts, incident.riskAssessment.by] : facts;
    // Other reports' references: free text written by whoever recorded each submission.
    case 'other-authorities':
      return [...facts, ...Object.values(incident.submissions ?? {}).filter((s) => s.regime !== context.pack.regime).map((s) => s.recordedBy)];
    case 'case-reference': {
      const chained = context.followUp ? undefined : chainedSubmission(context);
      return chained ? [...facts, chained.recordedBy] : facts;
    }
    case 'individuals-notified-at':
      return [...facts, ...Object.values(incident.submissions ?? {}).filter((s) => s.regime === 'hipaa-breach' && s.obligation === 'individual-notice').map((s) => s.recordedBy)];
    // A later awareness time is set with a written justification by a person.
    case 'discovered-at': {
      const by = incident.regimeAwareness?.[context.pack.regime]?.by ?? incident.awareSetBy;
      return by ? [...facts, by] : facts;
    }
    default:
      return facts;
  }
}

/** Is the notice late, so that reasons for the delay are mandatory (Art. 33(1))? */
export function isLate(context: Pick<ElementContext, 'clock' | 'now'>): boolean {
  const due = context.clock?.dueAt;
  if (!due) return false;
  return context.clock!.status === 'overdue' || Date.parse(due) < context.now.getTime();
}

