import type { ElementId, NoticePackConfig } from '../notice-pack.js';
import type { StateContent } from '../us-resident-data.js';
import { usEmailRules } from './us-email-rules.data.js';
import { usResidentData } from './us-resident.data.js';

/** The regime of the US resident notice: each covered state's own rule pack (its `resident-notice` clock). */
export const US_STATES_REGIME = 'us-state-breach';
export const US_RESIDENT_KIND = 'us-resident';

/** The elements in the order the notice shows them, with their labels. */
const ORDER: readonly (readonly [ElementId, string])[] = [
  ['organisation', 'Who is notifying you'],
  ['nature', 'What happened'],
  ['occurred-at', 'Date, estimated date or date range of the breach'],
  ['discovered-at', 'Date the breach was discovered'],
  ['approx-people', 'Number of individuals affected'],
  ['law-enforcement-delay', 'Whether notification was delayed by a law enforcement investigation'],
  ['data-categories', 'What information was involved'],
  ['measures-taken', 'What we are doing'],
  ['what-to-do', 'What you can do'],
  ['change-credentials', 'Change your user name or password and security question or answer'],
  ['identity-theft-services', 'Identity theft prevention or credit monitoring services at no cost, how to enrol and how to place a security freeze'],
  ['credit-agencies', 'Toll-free numbers and addresses of the major consumer reporting agencies'],
  ['security-freeze', 'Fraud alerts and security freezes'],
  ['police-report', 'Police report'],
  ['fcra-rights', 'Your rights under the federal Fair Credit Reporting Act'],
  ['agency-contacts', 'The Federal Trade Commission and state agencies that help with identity theft'],
  ['parent-company', 'Parent or affiliated company (or that there is none)'],
  ['contact-point', 'For more information'],
  ['toll-free-number', 'Toll-free number'],
];

/** A state's item as a source: code, citation and how sure the research is; with the research's words when `words`. */
export function stateSource(c: StateContent, words = false): string {
  return `${c.code} ${c.citation}${words ? `: "${c.words}"` : ''}${c.note ? ` (${c.note})` : ''}`;
}

const forbiddenNote = Object.entries(usResidentData.forbidden)
  .map(([id, states]) => `\`${id}\` is forbidden by ${states.map((s) => stateSource(s)).join(', ')}`)
  .join('; ');

const section = (id: ElementId, body: string) => `{{#required.${id}}}${body}{{/required.${id}}}`;

/**
 * A US state's notice to its residents (issue 28.5): the union of the contents the states' statutes require, each
 * element required `when` the notice covers a state that requires it (and, for the offer of services and the
 * change of credentials, when that data was exposed), with each state's citation. A notice is drafted for one
 * variant (us-variants.ts): the states it covers, whose pack keeps only their elements and drops what any of
 * them forbids. California residents get the hand-written `california-resident` pack (Civ. Code 1798.82(d)).
 */
export const usResident: NoticePackConfig = {
  kind: US_RESIDENT_KIND,
  version: '2026-12',
  name: 'US state security breach notification to residents (one variant for the states it covers)',
  legalSource: `each covered state's breach statute (${usResidentData.states.length} researched codes, California excepted: its own pack)`,
  audience: 'people',
  regime: US_STATES_REGIME,
  obligation: 'resident-notice',
  checked: usResidentData.checkedOn,
  sourceNote: `from the research records in docs/sources/jurisdictions (residentNoticeContents), classified by scripts/us-resident-contents.ts; (secondary), (conflicting) and (not read) mark what the research did not read in the statute itself. ${forbiddenNote}: a variant covering that state does not carry it`,
  channels: ['email', 'letter'],
  // Email only where the person's state allows it (most: E-SIGN consent); a person of no known state needs what every
  // covered state asks (a variant narrows this to its states: us-variants.ts).
  emailByRegion: usEmailRules.byState,
  emailOtherwise: Object.values(usEmailRules.byState),
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: ORDER.map(([id, label]) => {
    if (id === 'organisation') {
      const listed = usResidentData.required[id] ?? [];
      return { id, label, legalSource: `the sender of every covered state's notice (organisation profile); a listed item of ${listed.map((s) => stateSource(s)).join(', ')}`, required: 'always' as const };
    }
    const states = usResidentData.required[id] ?? [];
    const condition = usResidentData.conditions[id];
    return {
      id,
      label,
      legalSource: states.map((s) => stateSource(s)).join('; '),
      required: 'when' as const,
      when: { jurisdictionsAny: states.map((s) => s.code), ...(condition ? { dataCategoriesAny: [...condition.dataCategoriesAny] } : {}) },
    };
  }).filter((e) => e.required === 'always' || e.when!.jurisdictionsAny.length > 0),
  templates: {
    en: {
      subject: 'Notice of Data Breach',
      text: `Notice of Data Breach

${section('organisation', '{{el.organisation}}\n')}
${section('nature', 'What Happened\n{{el.nature}}\n')}
${section('occurred-at', 'Date of the breach: {{el.occurred-at}}\n')}
${section('discovered-at', 'Date the breach was discovered: {{el.discovered-at}}\n')}
${section('approx-people', 'Number of individuals affected: {{el.approx-people}}\n')}
${section('law-enforcement-delay', '{{el.law-enforcement-delay}}\n')}
${section('data-categories', 'What Information Was Involved\n{{el.data-categories}}\n')}
${section('measures-taken', 'What We Are Doing\n{{el.measures-taken}}\n')}
What You Can Do
${section('what-to-do', '{{el.what-to-do}}\n')}
${section('change-credentials', '{{el.change-credentials}}\n')}
${section('identity-theft-services', '{{el.identity-theft-services}}\n')}
${section('credit-agencies', 'The major consumer reporting agencies: {{el.credit-agencies}}\n')}
${section('security-freeze', '{{el.security-freeze}}\n')}
${section('police-report', '{{el.police-report}}\n')}
${section('fcra-rights', '{{el.fcra-rights}}\n')}
${section('agency-contacts', '{{el.agency-contacts}}\n')}

Other Important Information
${section('parent-company', 'Parent or affiliated company: {{el.parent-company}}\n')}
Reference: {{incidentId}}

For More Information
${section('contact-point', '{{el.contact-point}}\n')}
${section('toll-free-number', 'Toll-free: {{el.toll-free-number}}\n')}
`,
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>Notice of Data Breach</title></head>
<body style="font-family: Arial, sans-serif; font-size: 12pt; line-height: 1.5; max-width: 40em">
<h1>Notice of Data Breach</h1>
${section('organisation', '<p>{{el.organisation}}</p>')}
${section('nature', '<h2>What Happened</h2><p>{{el.nature}}</p>')}
${section('occurred-at', '<p>Date of the breach: {{el.occurred-at}}</p>')}
${section('discovered-at', '<p>Date the breach was discovered: {{el.discovered-at}}</p>')}
${section('approx-people', '<p>Number of individuals affected: {{el.approx-people}}</p>')}
${section('law-enforcement-delay', '<p>{{el.law-enforcement-delay}}</p>')}
${section('data-categories', '<h2>What Information Was Involved</h2><p>{{el.data-categories}}</p>')}
${section('measures-taken', '<h2>What We Are Doing</h2><p>{{el.measures-taken}}</p>')}
<h2>What You Can Do</h2>
${section('what-to-do', '<p>{{el.what-to-do}}</p>')}
${section('change-credentials', '<p>{{el.change-credentials}}</p>')}
${section('identity-theft-services', '<p>{{el.identity-theft-services}}</p>')}
${section('credit-agencies', '<p>The major consumer reporting agencies: {{el.credit-agencies}}</p>')}
${section('security-freeze', '<p>{{el.security-freeze}}</p>')}
${section('police-report', '<p>{{el.police-report}}</p>')}
${section('fcra-rights', '<p>{{el.fcra-rights}}</p>')}
${section('agency-contacts', '<p>{{el.agency-contacts}}</p>')}
<h2>Other Important Information</h2>
${section('parent-company', '<p>Parent or affiliated company: {{el.parent-company}}</p>')}
<p>Reference: {{incidentId}}</p>
<h2>For More Information</h2>
${section('contact-point', '<p>{{el.contact-point}}</p>')}
${section('toll-free-number', '<p>Toll-free: {{el.toll-free-number}}</p>')}
</body></html>`,
    },
  },
};
