import type { NoticePackConfig } from '../notice-pack.js';
import { usEmailRules } from './us-email-rules.data.js';

const S = 'Cal. Civ. Code 1798.82(d)(1)';
const D2 = 'Cal. Civ. Code 1798.82(d)(2)';
/** Social Security, driver's licence and California identification card numbers (and other government ID numbers, 1798.82(h)(1)(A)-(B)). */
const GOVERNMENT_ID = { dataCategoriesAny: ['government-id' as const] };

/** The statutory title and headings of 1798.82(d)(1), in that order, in at least 10-point type. */
export const californiaResident: NoticePackConfig = {
  kind: 'california-resident',
  version: '2026-12',
  name: 'California security breach notification to residents',
  legalSource: 'Cal. Civ. Code 1798.82(a), (d) (as amended by SB 446, 2025)',
  audience: 'people',
  regime: 'california-1798-82',
  obligation: 'resident-notice',
  channels: ['email', 'letter'],
  // 1798.82(j)(2): electronic notice only if consistent with E-SIGN (15 U.S.C. 7001): the person consented.
  emailNeedsConsent: usEmailRules.byState['US-CA']!.source,
  // Residents read California's dates: the breach's time and the notice's date in Pacific time, named (PST/PDT).
  timeZone: 'America/Los_Angeles',
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: [
    { id: 'organisation', label: 'Name of the person or business', legalSource: `${S}(B); ${D2}(A)`, required: 'always' },
    { id: 'notice-date', label: 'Date of this notice', legalSource: `${D2}(C) ("shall also include the date of the notice")`, required: 'always' },
    { id: 'nature', label: 'What Happened', legalSource: `${S}(B), (d)(2)(E) (general description of the breach)`, required: 'always' },
    { id: 'occurred-at', label: 'Date, estimated date or date range of the breach', legalSource: `${D2}(C)`, required: 'always' },
    { id: 'law-enforcement-delay', label: 'Whether notification was delayed by a law enforcement investigation', legalSource: `${D2}(D); 1798.82(c)`, required: 'always' },
    { id: 'data-categories', label: 'What Information Was Involved', legalSource: 'Cal. Civ. Code 1798.82(d)(2)(B)', required: 'always' },
    { id: 'measures-taken', label: 'What We Are Doing', legalSource: `${S}(B)`, required: 'always' },
    { id: 'what-to-do', label: 'What You Can Do', legalSource: `${S}(B)`, required: 'always' },
    {
      id: 'credit-agencies',
      label: 'Toll-free numbers and addresses of the major credit reporting agencies',
      legalSource: `${D2}(F) (a Social Security, driver's license or California identification card number was exposed)`,
      required: 'when',
      when: GOVERNMENT_ID,
    },
    {
      id: 'identity-theft-services',
      label: 'Offer of identity theft prevention and mitigation services, at no cost for not less than 12 months, with all information needed to take it up',
      legalSource: `${D2}(G) (we were the source of the breach, and Social Security or government identification numbers were or may have been exposed)`,
      required: 'when',
      when: { ...GOVERNMENT_ID, facts: ['weWereTheSource' as const] },
    },
    { id: 'contact-point', label: 'For More Information', legalSource: `${S}(B); (d)(2)(A)`, required: 'always' },
  ],
  templates: {
    en: {
      subject: 'Notice of Data Breach',
      text: `Notice of Data Breach

{{el.organisation}}
Date of this notice: {{el.notice-date}}

What Happened?
{{el.nature}}
Date of the breach: {{el.occurred-at}}
{{el.law-enforcement-delay}}

What Information Was Involved?
{{el.data-categories}}

What We Are Doing.
{{el.measures-taken}}

What You Can Do.
{{el.what-to-do}}
{{#required.credit-agencies}}
The major credit reporting agencies: {{el.credit-agencies}}
{{/required.credit-agencies}}
{{#required.identity-theft-services}}
{{el.identity-theft-services}}
{{/required.identity-theft-services}}

Other Important Information.
Reference: {{incidentId}}

For More Information.
{{el.contact-point}}
`,
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>Notice of Data Breach</title></head>
<body style="font-family: Arial, sans-serif; font-size: 12pt; line-height: 1.5; max-width: 40em">
<h1>Notice of Data Breach</h1>
<p>{{el.organisation}}</p>
<p>Date of this notice: {{el.notice-date}}</p>
<h2>What Happened?</h2><p>{{el.nature}}</p><p>Date of the breach: {{el.occurred-at}}</p><p>{{el.law-enforcement-delay}}</p>
<h2>What Information Was Involved?</h2><p>{{el.data-categories}}</p>
<h2>What We Are Doing.</h2><p>{{el.measures-taken}}</p>
<h2>What You Can Do.</h2><p>{{el.what-to-do}}</p>
{{#required.credit-agencies}}<p>The major credit reporting agencies: {{el.credit-agencies}}</p>{{/required.credit-agencies}}
{{#required.identity-theft-services}}<p>{{el.identity-theft-services}}</p>{{/required.identity-theft-services}}
<h2>Other Important Information.</h2><p>Reference: {{incidentId}}</p>
<h2>For More Information.</h2><p>{{el.contact-point}}</p>
</body></html>`,
    },
  },
};
