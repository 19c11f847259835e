export interface IdGenerator {
  incidentId(now: Date): string;
  alertId(): string;
}
