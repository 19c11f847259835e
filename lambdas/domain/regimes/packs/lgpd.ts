import type { RulePackConfig } from '../rule-pack.js';
import { ENCODED_BEFORE_ISSUE_28 } from './unchecked.js';

export const lgpd: RulePackConfig = {
  id: 'lgpd-art48',
  version: '2026-11',
  name: 'Brazil LGPD Art. 48: communication of a security incident',
  legalSource: 'Lei 13.709/2018 (LGPD), Art. 48; Resolução CD/ANPD nº 15/2024, Art. 6',
  checkedOn: '2026-11-23',
  confidence: 'secondary',
  confidenceNote: ENCODED_BEFORE_ISSUE_28,
  appliesWhen: { anyJurisdiction: ['BR'], roles: ['controller', 'joint-controller'] },
  obligations: [
    {
      id: 'anpd-and-subjects',
      label: 'Communicate the incident to the ANPD and the data subjects',
      recipient: 'ANPD and affected data subjects',
      clocks: [{ trigger: 'awareAt', deadline: { unit: 'business-days', value: 3, zone: 'America/Sao_Paulo', calendar: 'BR' } }],
    },
  ],
  assumptions: ['Three business days (dias úteis) from awareness, Brazilian national holidays, São Paulo time, ending at the end of the third business day.'],
};
