import type { NoticePackConfig } from '../notice-pack.js';

const S = 'Cal. Civ. Code 1798.82(d)(1)';

/** The statutory title and headings of 1798.82(d)(1), in that order, in at least 10-point type. */
export const californiaResident: NoticePackConfig = {
  kind: 'california-resident',
  version: '2026-12',
  name: 'California security breach notification to residents',
  legalSource: 'Cal. Civ. Code 1798.82(a), (d) (as amended by SB 446, 2025)',
  audience: 'people',
  regime: 'california-1798-82',
  obligation: 'resident-notice',
  channels: ['email'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: [
    { id: 'organisation', label: 'Name of the person or business', legalSource: `${S}(B)`, required: 'always' },
    { id: 'nature', label: 'What Happened', legalSource: `${S}(B), (d)(2)(E) (general description of the breach)`, required: 'always' },
    { id: 'occurred-at', label: 'Date, estimated date or date range of the breach', legalSource: 'Cal. Civ. Code 1798.82(d)(2)(C)', required: 'always' },
    { id: 'data-categories', label: 'What Information Was Involved', legalSource: 'Cal. Civ. Code 1798.82(d)(2)(B)', required: 'always' },
    { id: 'measures-taken', label: 'What We Are Doing', legalSource: `${S}(B)`, required: 'always' },
    { id: 'what-to-do', label: 'What You Can Do', legalSource: `${S}(B); (d)(2)(G) (credit reporting agencies where SSN or ID numbers)`, required: 'always' },
    { id: 'contact-point', label: 'For More Information', legalSource: `${S}(B); (d)(2)(A)`, required: 'always' },
  ],
  templates: {
    en: {
      subject: 'Notice of Data Breach',
      text: `NOTICE OF DATA BREACH

{{el.organisation}}

What Happened?
{{el.nature}}
Date of the breach: {{el.occurred-at}}

What Information Was Involved?
{{el.data-categories}}

What We Are Doing.
{{el.measures-taken}}

What You Can Do.
{{el.what-to-do}}

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
<h2>What Happened?</h2><p>{{el.nature}}</p><p>Date of the breach: {{el.occurred-at}}</p>
<h2>What Information Was Involved?</h2><p>{{el.data-categories}}</p>
<h2>What We Are Doing.</h2><p>{{el.measures-taken}}</p>
<h2>What You Can Do.</h2><p>{{el.what-to-do}}</p>
<h2>Other Important Information.</h2><p>Reference: {{incidentId}}</p>
<h2>For More Information.</h2><p>{{el.contact-point}}</p>
</body></html>`,
    },
  },
};
