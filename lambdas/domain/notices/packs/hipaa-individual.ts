import type { NoticePackConfig } from '../notice-pack.js';
import { elements } from './form.js';

const C = '45 CFR 164.404(c)(1)';

/**
 * The content of 164.404(c)(1), which the media notice carries too (164.406(c)); read 2026-12-05 in the HHS rule
 * text as reproduced by Bricker Graydon (eCFR not reachable here). (E): "Contact procedures ..., which shall include a
 * toll-free telephone number, an e-mail address, Web site, or postal address": read as a toll-free number always,
 * with one of the others. The profile's phone is not known to be toll-free, so the officer gives it.
 */
export const hipaaContent = (via = '') =>
  elements([
    ['nature', 'What happened', `${C}(A)${via}`],
    ['occurred-at', 'Date of the breach', `${C}(A)${via}`],
    ['discovered-at', 'Date of discovery', `${C}(A)${via}`],
    ['data-categories', 'Types of unsecured protected health information involved', `${C}(B)${via}`],
    ['what-to-do', 'Steps to take for protection from potential harm', `${C}(C)${via}`],
    ['measures-taken', 'What is being done to investigate, mitigate harm and protect against further breaches', `${C}(D)${via}`],
    ['toll-free-number', 'Toll-free telephone number', `${C}(E)${via}`],
    ['contact-point', 'Contact procedures (e-mail address, website or postal address)', `${C}(E)${via}`],
  ]);

/** The plain text of a 164.404(c) notice, for the individual notice and the media notice. */
export const hipaaText = (title: string, you: string) => `${title}
{{el.organisation}}

What happened
{{el.nature}}
Date of the breach: {{el.occurred-at}}
Date of discovery: {{el.discovered-at}}

What information was involved
{{el.data-categories}}

What ${you} should do
{{el.what-to-do}}

What we are doing
{{el.measures-taken}}

For more information
Toll-free: {{el.toll-free-number}}
{{el.contact-point}}
Reference: {{incidentId}}
`;

const TITLE = 'Notice of a breach of your health information';

export const hipaaIndividual: NoticePackConfig = {
  kind: 'hipaa-individual',
  version: '2026-12',
  name: 'HIPAA breach notice to individuals',
  legalSource: '45 CFR 164.404(c), (d)',
  checked: '2026-12-05',
  sourceNote: '164.404(c) read in the HHS rule text as reproduced by Bricker Graydon; eCFR not reachable here',
  audience: 'people',
  regime: 'hipaa-breach',
  obligation: 'individual-notice',
  channels: ['email', 'letter'],
  // "Written notification by first-class mail ... or, if the individual agrees to electronic notice, by electronic mail."
  emailNeedsConsent: '45 CFR 164.404(d)(1)(i)',
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: [{ id: 'organisation', label: 'Covered entity', legalSource: '45 CFR 164.404(a)', required: 'always' }, ...hipaaContent()],
  templates: {
    en: {
      subject: TITLE,
      text: hipaaText(TITLE, 'you'),
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>${TITLE}</title></head>
<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 40em">
<h1>${TITLE}</h1>
<p>{{el.organisation}}</p>
<h2>What happened</h2><p>{{el.nature}}</p>
<p>Date of the breach: {{el.occurred-at}}<br>Date of discovery: {{el.discovered-at}}</p>
<h2>What information was involved</h2><p>{{el.data-categories}}</p>
<h2>What you should do</h2><p>{{el.what-to-do}}</p>
<h2>What we are doing</h2><p>{{el.measures-taken}}</p>
<h2>For more information</h2><p>Toll-free: {{el.toll-free-number}}<br>{{el.contact-point}}<br>Reference: {{incidentId}}</p>
</body></html>`,
    },
  },
};
