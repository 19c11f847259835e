import { openIncident, type Incident, type NewIncidentInput } from '../../lambdas/domain/incident.js';

export const T0 = new Date('2026-03-27T22:30:00.000Z');

export function hoursAfter(base: Date, hours: number): Date {
  return new Date(base.getTime() + hours * 3_600_000);
}

export function minutesAfter(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000);
}

export function anIncident(overrides: Partial<NewIncidentInput> = {}, now: Date = T0): Incident {
  return openIncident(
    { id: 'INC-TEST-1', title: 'Unusual export of customer table', severity: 'high', source: 'generic', fingerprint: 'db-export-1', ...overrides },
    now,
  ).incident;
}
