import type { NoticePackConfig } from '../notice-pack.js';
import { elements, formTemplates } from './form.js';
import { hipaaContent, hipaaText } from './hipaa-individual.js';

const base: Pick<NoticePackConfig, 'version' | 'checked' | 'regime' | 'approvalNeeds' | 'languages'> = {
  version: '2026-12',
  checked: '2026-12-05',
  regime: 'hipaa-breach',
  approvalNeeds: 'regime-applies',
  languages: ['en'],
};

/** The breach portal's form (ocrnotifications.hhs.gov, read 2026-12-05), its sections as data. */
const F = 'HHS form, Section';
const hhs = elements([
  ['organisation', 'Covered entity', `45 CFR 164.408(a); ${F} 1`],
  ['contact-point', 'Covered entity contact', `${F} 1`],
  ['case-reference', 'Earlier report this one adds to (addendum)', 'HHS instructions (updated submission)', 'when-follow-up'],
  ['approx-people', 'Breach affecting (individuals)', '45 CFR 164.408(b); HHS form (an estimate if unclear, per HHS instructions)'],
  ['breach-type', 'Type of breach', `${F} 3`],
  ['information-location', 'Location of breached information', `${F} 3`],
  ['nature', 'Breach description', `${F} 3 (location, how it occurred, media, type of PHI)`],
  ['data-categories', 'Type of protected health information involved', `${F} 3`],
  ['safeguards', 'Safeguards in place prior to the breach', `${F} 3`],
  ['individuals-notified-at', 'Date individual notice provided', `${F} 4 (secondary: HL Chronicle, 2009)`, 'no'],
  ['measures-taken', 'Actions taken in response to the breach', `${F} 4`],
]);

/** 45 CFR 164.408(b): 500 or more individuals, contemporaneously with the individual notice, through the portal. */
export const hipaaHhs: NoticePackConfig = {
  ...base,
  kind: 'hipaa-hhs',
  name: 'HIPAA notice to the HHS Secretary (breach portal)',
  legalSource: '45 CFR 164.408(a), (b); the HHS breach portal form',
  sourceNote: '164.408 read in a secondary reproduction (compliancewiki.org); the portal form and the HHS instructions directly',
  audience: 'authority',
  obligation: 'hhs-notice',
  channels: ['portal'],
  elements: hhs,
  templates: { en: formTemplates('Notice to the Secretary of HHS of Breach of Unsecured Protected Health Information', 'HHS breach report: {{el.organisation}}', hhs) },
};

/** 45 CFR 164.406: more than 500 residents of a State or jurisdiction; prominent media outlets serving it; the content of 164.404(c). */
export const hipaaMedia: NoticePackConfig = {
  ...base,
  kind: 'hipaa-media',
  name: 'HIPAA notice to prominent media outlets',
  legalSource: '45 CFR 164.406(a)-(c), 164.404(c)',
  sourceNote: '164.406 and 164.404(c) read in the HHS rule text as reproduced by Bricker Graydon; eCFR not reachable here',
  audience: 'public',
  obligation: 'media-notice',
  channels: ['publication'],
  elements: [
    ...elements([
      ['organisation', 'Covered entity', '45 CFR 164.406(a)'],
      ['approx-people', 'Residents affected per State or jurisdiction', '45 CFR 164.406(a) (decides the outlets)', 'no'],
    ]),
    ...hipaaContent(' via 164.406(c)'),
  ],
  templates: { en: { subject: 'Notice of a breach of health information: {{el.organisation}}', text: hipaaText('Notice of a breach of health information', 'individuals') } },
};
