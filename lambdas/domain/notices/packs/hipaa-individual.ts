import type { NoticePackConfig } from '../notice-pack.js';

const C = '45 CFR 164.404(c)(1)';

export const hipaaIndividual: NoticePackConfig = {
  kind: 'hipaa-individual',
  version: '2026-12',
  name: 'HIPAA breach notice to individuals',
  legalSource: '45 CFR 164.404(c), (d)',
  audience: 'people',
  regime: 'hipaa-breach',
  obligation: 'individual-notice',
  channels: ['email'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: [
    { id: 'organisation', label: 'Covered entity', legalSource: '45 CFR 164.404(a)', required: 'always' },
    { id: 'nature', label: 'What happened', legalSource: `${C}(A)`, required: 'always' },
    { id: 'occurred-at', label: 'Date of the breach', legalSource: `${C}(A)`, required: 'always' },
    { id: 'discovered-at', label: 'Date of discovery', legalSource: `${C}(A)`, required: 'always' },
    { id: 'data-categories', label: 'Types of unsecured protected health information involved', legalSource: `${C}(B)`, required: 'always' },
    { id: 'what-to-do', label: 'Steps you should take to protect yourself', legalSource: `${C}(C)`, required: 'always' },
    { id: 'measures-taken', label: 'What we are doing to investigate, mitigate harm and protect against further breaches', legalSource: `${C}(D)`, required: 'always' },
    { id: 'contact-point', label: 'Contact procedures (toll-free number, email, website or postal address)', legalSource: `${C}(E)`, required: 'always' },
  ],
  templates: {
    en: {
      subject: 'Notice of a breach of your health information',
      text: `Notice of a breach of your health information
{{el.organisation}}

What happened
{{el.nature}}
Date of the breach: {{el.occurred-at}}
Date of discovery: {{el.discovered-at}}

What information was involved
{{el.data-categories}}

What you should do
{{el.what-to-do}}

What we are doing
{{el.measures-taken}}

For more information
{{el.contact-point}}
Reference: {{incidentId}}
`,
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>Notice of a breach of your health information</title></head>
<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 40em">
<h1>Notice of a breach of your health information</h1>
<p>{{el.organisation}}</p>
<h2>What happened</h2><p>{{el.nature}}</p>
<p>Date of the breach: {{el.occurred-at}}<br>Date of discovery: {{el.discovered-at}}</p>
<h2>What information was involved</h2><p>{{el.data-categories}}</p>
<h2>What you should do</h2><p>{{el.what-to-do}}</p>
<h2>What we are doing</h2><p>{{el.measures-taken}}</p>
<h2>For more information</h2><p>{{el.contact-point}}<br>Reference: {{incidentId}}</p>
</body></html>`,
    },
  },
};
