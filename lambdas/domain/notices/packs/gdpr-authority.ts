import type { NoticePackConfig } from '../notice-pack.js';
import { elements } from './form.js';

/**
 * The Art. 33(3) content shared by the EU lead authority and the UK ICO packs, each citing its own law: the EU
 * GDPR and the authorities' forms (EDPB Guidelines 9/2022), or the UK GDPR (the same article numbers, retained
 * in UK law), the Data Protection Act 2018 and the ICO's report form
 * (https://ico.org.uk/for-organisations/report-a-breach/personal-data-breach/, checked 2026-12-04).
 */
function authorityElements(law: 'GDPR' | 'UK GDPR', forms: string, guidance: string, specialCategories: string, otherBodies: string): NoticePackConfig['elements'] {
  const A33 = `${law} Art. 33(3)`;
  return elements([
    ['notice-type', 'Type of report (initial or follow-up)', `${law} Art. 33(4); ${forms}`],
    ['case-reference', 'Case reference of the initial report', `${law} Art. 33(4); ${forms}`, 'when-follow-up'],
    ['organisation', 'Controller', forms],
    ['contact-point', 'DPO or other contact point', `${A33}(b)`],
    ['occurred-at', 'When did the breach happen', `${forms} (${guidance})`],
    ['discovered-at', 'When did you discover the breach', `${law} Art. 33(1); ${forms}`],
    ['how-discovered', 'How did you discover the breach', forms],
    ['nature', 'Nature of the breach: what happened', `${A33}(a)`],
    ['cia', 'Confidentiality, integrity or availability affected', `${forms} (${guidance})`],
    ['data-categories', 'Categories of personal data', `${A33}(a)`],
    ['special-categories', 'Special categories or criminal offence data', `${specialCategories}; ${forms}`],
    ['people-categories', 'Categories of data subjects', `${A33}(a)`],
    ['approx-people', 'Approximate number of data subjects', `${A33}(a)`],
    ['approx-records', 'Approximate number of personal data records', `${A33}(a)`],
    ['likely-consequences', 'Likely consequences of the breach', `${A33}(c)`],
    ['measures-taken', 'Measures taken to address the breach and mitigate its effects', `${A33}(d)`],
    ['measures-proposed', 'Measures proposed', `${A33}(d)`],
    ['safeguards', 'Safeguards in place (e.g. encryption)', `${law} Art. 34(3)(a); ${forms}`],
    ['people-told', 'Have the data subjects been told', `${law} Art. 34; ${forms}`],
    ['other-authorities', 'Other authorities or bodies notified', `${forms} (${otherBodies})`],
    ['reasons-for-delay', 'Reasons for the delay (notified after 72 hours)', `${law} Art. 33(1)`, 'when-late'],
  ]);
}

export const AUTHORITY_ELEMENTS = authorityElements('GDPR', 'authority forms', 'EDPB Guidelines 9/2022', 'GDPR Art. 9, 10', 'cross-border, NIS2, police');

/** The ICO's report, under the UK GDPR and the Data Protection Act 2018 (ss. 10-11: special categories and criminal offence data). */
const ICO_ELEMENTS = authorityElements('UK GDPR', 'the ICO personal data breach report form', 'ICO guidance on personal data breaches', 'UK GDPR Art. 9, 10; Data Protection Act 2018 ss. 10-11', 'other regulators, NIS Regulations 2018, police');

const markdown = (title: string) => `# ${title}

**Incident**: {{incidentId}}

| Form field | Answer |
|---|---|
| Type of report | {{el.notice-type}} |
{{#followUp}}| Case reference of the initial report | {{el.case-reference}} |
{{/followUp}}| Controller | {{el.organisation}} |
| DPO or other contact point | {{el.contact-point}} |
| When did the breach happen | {{el.occurred-at}} |
| When did you discover the breach | {{el.discovered-at}} |
| How did you discover the breach | {{el.how-discovered}} |
| Confidentiality, integrity or availability | {{el.cia}} |
| Categories of personal data | {{el.data-categories}} |
| Special categories / criminal offence data | {{el.special-categories}} |
| Categories of data subjects | {{el.people-categories}} |
| Approximate number of data subjects | {{el.approx-people}} |
| Approximate number of records | {{el.approx-records}} |
| Safeguards in place | {{el.safeguards}} |
| Data subjects told | {{el.people-told}} |
| Other authorities or bodies notified | {{el.other-authorities}} |

## Nature of the breach
{{el.nature}}

## Likely consequences
{{el.likely-consequences}}

## Measures taken
{{el.measures-taken}}

## Measures proposed
{{el.measures-proposed}}
{{#late}}

## Reasons for the delay
{{el.reasons-for-delay}}
{{/late}}
`;

const text = (title: string) => `${title}
Incident {{incidentId}}

Type of report: {{el.notice-type}}
{{#followUp}}Case reference of the initial report: {{el.case-reference}}
{{/followUp}}Controller: {{el.organisation}}
DPO or other contact point: {{el.contact-point}}
When the breach happened: {{el.occurred-at}}
When it was discovered: {{el.discovered-at}}
How it was discovered: {{el.how-discovered}}
Confidentiality, integrity or availability: {{el.cia}}
Categories of personal data: {{el.data-categories}}
Special categories / criminal offence data: {{el.special-categories}}
Categories of data subjects: {{el.people-categories}}
Approximate number of data subjects: {{el.approx-people}}
Approximate number of records: {{el.approx-records}}
Safeguards in place: {{el.safeguards}}
Data subjects told: {{el.people-told}}
Other authorities or bodies notified: {{el.other-authorities}}

Nature of the breach:
{{el.nature}}

Likely consequences:
{{el.likely-consequences}}

Measures taken:
{{el.measures-taken}}

Measures proposed:
{{el.measures-proposed}}
{{#late}}

Reasons for the delay:
{{el.reasons-for-delay}}
{{/late}}
`;

export const gdprAuthority: NoticePackConfig = {
  kind: 'gdpr-authority',
  version: '2026-12',
  name: 'GDPR Art. 33 notification to the lead supervisory authority',
  legalSource: 'Regulation (EU) 2016/679 Art. 33(1), (3), (4); EDPB Guidelines 9/2022; the DPC, CNIL and ICO breach forms',
  audience: 'authority',
  regime: 'gdpr-art33',
  obligation: 'authority-notification',
  channels: ['portal'],
  approvalNeeds: 'notify-decision',
  languages: ['en'],
  elements: AUTHORITY_ELEMENTS,
  templates: {
    en: {
      subject: 'Personal data breach notification (Art. 33 GDPR): {{el.organisation}}, {{el.notice-type}}',
      markdown: markdown('Personal data breach notification (GDPR Art. 33)'),
      text: text('Personal data breach notification (GDPR Art. 33)'),
    },
  },
};

export const ukIcoAuthority: NoticePackConfig = {
  ...gdprAuthority,
  kind: 'uk-ico-authority',
  name: 'UK GDPR Art. 33 report to the ICO',
  legalSource: 'UK GDPR Art. 33; Data Protection Act 2018; the ICO personal data breach report form',
  regime: 'uk-gdpr-art33',
  obligation: 'ico-notification',
  elements: ICO_ELEMENTS,
  templates: {
    en: {
      subject: 'Personal data breach report to the ICO: {{el.organisation}}, {{el.notice-type}}',
      markdown: markdown('Personal data breach report to the ICO (UK GDPR Art. 33)'),
      text: text('Personal data breach report to the ICO (UK GDPR Art. 33)'),
    },
  },
};
