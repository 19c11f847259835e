import type { NoticePackConfig } from '../notice-pack.js';
import { elements } from './form.js';

export const nis2EarlyWarning: NoticePackConfig = {
  kind: 'nis2-early-warning',
  version: '2026-12',
  name: 'NIS2 early warning to the CSIRT or competent authority',
  legalSource: 'Directive (EU) 2022/2555 Art. 23(4)(a); national transposition',
  audience: 'authority',
  regime: 'nis2-art23',
  obligation: 'early-warning',
  channels: ['portal'],
  approvalNeeds: 'regime-applies',
  languages: ['en'],
  elements: elements([
    ['organisation', 'Entity', 'Art. 23(1)'],
    ['contact-point', 'Contact point', 'national forms'],
    ['discovered-at', 'When the entity became aware of the significant incident', 'Art. 23(4)(a)'],
    ['suspected-malicious', 'Suspected to be caused by unlawful or malicious acts', 'Art. 23(4)(a)'],
    ['cross-border-impact', 'Could have a cross-border impact', 'Art. 23(4)(a)'],
    ['nature', 'Short description', 'national forms', 'no'],
  ]),
  templates: {
    en: {
      subject: 'NIS2 early warning: {{el.organisation}}',
      markdown: `# NIS2 early warning (Art. 23(4)(a))

| Form field | Answer |
|---|---|
| Entity | {{el.organisation}} |
| Contact point | {{el.contact-point}} |
| Aware of the significant incident | {{el.discovered-at}} |
| Suspected unlawful or malicious act | {{el.suspected-malicious}} |
| Possible cross-border impact | {{el.cross-border-impact}} |
| Short description | {{el.nature}} |
| Internal reference | {{incidentId}} |
`,
      text: `NIS2 early warning (Art. 23(4)(a))
Entity: {{el.organisation}}
Contact point: {{el.contact-point}}
Aware of the significant incident: {{el.discovered-at}}
Suspected unlawful or malicious act: {{el.suspected-malicious}}
Possible cross-border impact: {{el.cross-border-impact}}
Short description: {{el.nature}}
Internal reference: {{incidentId}}
`,
    },
  },
};
