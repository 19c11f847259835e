import type { IncidentActionBody } from '../../../contracts/incident-api.js';

/** The facts as the API takes them (record-facts), and the names the desk shows for their codes. */
type RecordFacts = Extract<IncidentActionBody, { action: 'record-facts' }>;
export type IncidentFacts = NonNullable<RecordFacts['facts']>;
export type DataCategory = NonNullable<IncidentFacts['dataCategories']>[number];
export type PeopleCategory = NonNullable<IncidentFacts['peopleCategories']>[number];
export type FactsRole = NonNullable<IncidentFacts['role']>;

export const DATA_CATEGORY_NAMES = {
  contact: 'Contact details',
  identity: 'Identity (name, date of birth)',
  credentials: 'Passwords and other credentials',
  payment: 'Payment card data',
  financial: 'Financial data',
  health: 'Health data',
  'special-category': 'Special categories (Art. 9)',
  criminal: 'Criminal records',
  location: 'Location data',
  'government-id': 'Government identifiers',
  usage: 'Usage data',
  biometric: 'Biometric data',
  other: 'Other',
} as const satisfies Record<DataCategory, string>;

export const PEOPLE_CATEGORY_NAMES = {
  customers: 'Customers',
  children: 'Children',
  staff: 'Staff',
  patients: 'Patients',
  partners: 'Partners',
  other: 'Others',
} as const satisfies Record<PeopleCategory, string>;

export const ROLE_NAMES = {
  controller: 'Controller (we decide why and how the data is processed)',
  processor: 'Processor (we process it for controllers)',
  'joint-controller': 'Joint controller',
} as const satisfies Record<FactsRole, string>;

export const keysOf = <K extends string>(record: Record<K, string>): K[] => Object.keys(record) as K[];
