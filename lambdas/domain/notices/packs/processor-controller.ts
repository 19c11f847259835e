import type { NoticePackConfig } from '../notice-pack.js';

export const processorController: NoticePackConfig = {
  kind: 'processor-controller',
  version: '2026-12',
  name: 'Processor to controller notification (GDPR Art. 33(2) and the DPA)',
  legalSource: 'Regulation (EU) 2016/679 Art. 33(2), Art. 28(3)(f); the data processing agreement',
  audience: 'controller',
  regime: 'processor-to-controller',
  channels: ['email'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: [
    { id: 'organisation', label: 'Processor', legalSource: 'GDPR Art. 33(2)', required: 'always' },
    { id: 'contact-point', label: 'Our DPO or contact point', legalSource: 'GDPR Art. 33(3)(b) via Art. 28(3)(f)', required: 'always' },
    { id: 'discovered-at', label: 'When we became aware', legalSource: 'GDPR Art. 33(2) ("without undue delay after becoming aware")', required: 'always' },
    { id: 'occurred-at', label: 'When the breach happened', legalSource: 'EDPB Guidelines 9/2022', required: 'no' },
    { id: 'nature', label: 'What happened', legalSource: 'GDPR Art. 33(3)(a) via Art. 28(3)(f)', required: 'always' },
    { id: 'data-categories', label: 'Categories of personal data', legalSource: 'GDPR Art. 33(3)(a) via Art. 28(3)(f)', required: 'always' },
    { id: 'approx-people', label: 'Approximate number of data subjects', legalSource: 'GDPR Art. 33(3)(a) via Art. 28(3)(f)', required: 'always' },
    { id: 'approx-records', label: 'Approximate number of records', legalSource: 'GDPR Art. 33(3)(a) via Art. 28(3)(f)', required: 'always' },
    { id: 'likely-consequences', label: 'Likely consequences', legalSource: 'GDPR Art. 33(3)(c) via Art. 28(3)(f)', required: 'always' },
    { id: 'measures-taken', label: 'Measures taken', legalSource: 'GDPR Art. 33(3)(d) via Art. 28(3)(f)', required: 'always' },
    { id: 'measures-proposed', label: 'Measures proposed', legalSource: 'GDPR Art. 33(3)(d) via Art. 28(3)(f)', required: 'always' },
    { id: 'controller-deadline', label: 'Addressed to, with the notification deadline', legalSource: 'GDPR Art. 33(2); the data processing agreement', required: 'always' },
  ],
  templates: {
    en: {
      subject: 'Personal data breach notification from your processor {{el.organisation}} (Art. 33(2) GDPR)',
      text: `Personal data breach notification (GDPR Art. 33(2))

To: {{el.controller-deadline}}

{{el.organisation}}, acting as your processor, informs you of a personal data breach affecting data we process on your behalf. As controller you assess the risk and decide on notifying the supervisory authority and the people affected; we will support you (Art. 28(3)(f)).

When we became aware: {{el.discovered-at}}
When it happened: {{el.occurred-at}}
Categories of personal data: {{el.data-categories}}
Approximate number of data subjects: {{el.approx-people}}
Approximate number of records: {{el.approx-records}}

What happened:
{{el.nature}}

Likely consequences:
{{el.likely-consequences}}

Measures taken:
{{el.measures-taken}}

Measures proposed:
{{el.measures-proposed}}

Our contact point: {{el.contact-point}}
Reference: {{incidentId}}
`,
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>Personal data breach notification</title></head>
<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 44em">
<h1>Personal data breach notification (GDPR Art. 33(2))</h1>
<p>To: {{el.controller-deadline}}</p>
<p>{{el.organisation}}, acting as your processor, informs you of a personal data breach affecting data we process on your behalf. As controller you assess the risk and decide on notifying the supervisory authority and the people affected; we will support you (Art. 28(3)(f)).</p>
<table>
<tr><th align="left">When we became aware</th><td>{{el.discovered-at}}</td></tr>
<tr><th align="left">When it happened</th><td>{{el.occurred-at}}</td></tr>
<tr><th align="left">Categories of personal data</th><td>{{el.data-categories}}</td></tr>
<tr><th align="left">Approximate number of data subjects</th><td>{{el.approx-people}}</td></tr>
<tr><th align="left">Approximate number of records</th><td>{{el.approx-records}}</td></tr>
</table>
<h2>What happened</h2><p>{{el.nature}}</p>
<h2>Likely consequences</h2><p>{{el.likely-consequences}}</p>
<h2>Measures taken</h2><p>{{el.measures-taken}}</p>
<h2>Measures proposed</h2><p>{{el.measures-proposed}}</p>
<p>Our contact point: {{el.contact-point}}<br>Reference: {{incidentId}}</p>
</body></html>`,
    },
  },
};
