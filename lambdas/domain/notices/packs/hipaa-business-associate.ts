import type { NoticePackConfig } from '../notice-pack.js';
import { elements } from './form.js';

const C = '45 CFR 164.404(c)(1)';
const V = ' via 164.410(c)(2)';
const TITLE = 'Notice of a breach of unsecured protected health information (45 CFR 164.410)';
const INTRO = '{{el.organisation}}, your business associate, notifies you of a breach of unsecured protected health information. Below is the identification of each individual affected and the information you need for your notice to individuals (45 CFR 164.404(c)), as far as it is available to us now.';

/** [element, label, legal source, required]: what 164.410(c) asks of a business associate. */
const rows = elements([
  ['organisation', 'Business associate', '45 CFR 164.410(a)(1)'],
  ['discovered-at', 'Date of discovery', `45 CFR 164.410(a)(2); ${C}(A)${V}`],
  ['occurred-at', 'Date of the breach', `${C}(A)${V}`],
  ['individuals-identified', 'Identification of each individual affected', '45 CFR 164.410(c)(1)'],
  ['nature', 'What happened', `${C}(A)${V}`],
  ['data-categories', 'Types of unsecured protected health information involved', `${C}(B)${V}`],
  ['what-to-do', 'Steps individuals should take to protect themselves from potential harm', `${C}(C)${V}`],
  ['measures-taken', 'What we are doing to investigate, mitigate harm and protect against further breaches', `${C}(D)${V}`],
  ['contact-point', 'Our contact point', 'not named by 164.410: where the covered entity asks us for more', 'no'],
]);
const dates = rows.filter((r) => r.id.endsWith('-at'));
const sections = rows.filter((r) => !r.id.endsWith('-at') && r.id !== 'organisation' && r.id !== 'contact-point');

/**
 * 45 CFR 164.410 (read 2026-12-05 in the HHS rule text, as amended January 2013, reproduced by Bricker Graydon):
 * (b) without unreasonable delay and no later than 60 calendar days after discovery; (c)(1) to the extent possible,
 * the identification of each individual; (c)(2) any other available information the covered entity must include in
 * its notice to individuals under 164.404(c). Goes to the covered entity (audience "controller": nothing is filled
 * from the incident's totals or task text, which may concern other clients).
 */
export const hipaaBusinessAssociate: NoticePackConfig = {
  kind: 'hipaa-business-associate',
  version: '2026-12',
  name: 'HIPAA business associate notice to the covered entity',
  legalSource: '45 CFR 164.410(a)-(c), 164.404(c)(1)',
  checked: '2026-12-05',
  sourceNote: '164.410 read in the HHS rule text as reproduced by Bricker Graydon (secondary; eCFR not reachable here), (c)(2) up to "at the time of the notification"',
  audience: 'controller',
  regime: 'hipaa-business-associate',
  obligation: 'covered-entity-notice',
  channels: ['email'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: rows,
  templates: {
    en: {
      subject: `${TITLE}: {{el.organisation}}`,
      text: `${TITLE}\n\n${INTRO}\n\n${dates.map((r) => `${r.label}: {{el.${r.id}}}`).join('\n')}\n\n${sections.map((r) => `${r.label}\n{{el.${r.id}}}`).join('\n\n')}\n\nOur contact point: {{el.contact-point}}\nReference: {{incidentId}}\n`,
      html: `<!doctype html>
<html><head><meta charset="utf-8"><title>${TITLE}</title></head>
<body style="font-family: Arial, sans-serif; line-height: 1.5; max-width: 44em">
<h1>${TITLE}</h1>
<p>${INTRO}</p>
<p>${dates.map((r) => `${r.label}: {{el.${r.id}}}`).join('<br>')}</p>
${sections.map((r) => `<h2>${r.label}</h2><p>{{el.${r.id}}}</p>`).join('\n')}
<p>Our contact point: {{el.contact-point}}<br>Reference: {{incidentId}}</p>
</body></html>`,
    },
  },
};
