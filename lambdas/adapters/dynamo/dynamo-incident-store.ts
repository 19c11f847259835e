import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IncidentStore, OutboxStore, SlackPacing } from '../../ports/incident-store.js';
import { DynamoAlertCountStore } from './dynamo-alert-count-store.js';
import { DynamoAlertIntakeStore } from './dynamo-alert-intake-store.js';
import { DynamoOfficerStore } from './dynamo-officer-store.js';
import { DynamoOutboxStore } from './dynamo-outbox-store.js';
import { DynamoSlackStateStore } from './dynamo-slack-state-store.js';
import { DynamoSlackPacingStore } from './dynamo-slack-pacing-store.js';
import type { DynamoStoreOptions } from './store-context.js';

export type { DynamoStoreOptions } from './store-context.js';

/**
 * Every incident port on the single table, for the wiring (runtime, local stack, tests): one store per port,
 * each built on the item modules under `items/` (keys and item shapes) and sharing one transaction helper
 * (`transaction.ts`). Every state change is one TransactWriteItems call. Use cases take the narrower ports; the
 * officers' API builds only its part (`DynamoOfficerStore`, which this extends).
 */
export class DynamoIncidentStore extends DynamoOfficerStore implements IncidentStore, OutboxStore, SlackPacing {
  readonly alerts: DynamoAlertIntakeStore;
  readonly counts: DynamoAlertCountStore;
  readonly outbox: DynamoOutboxStore;
  readonly slack: DynamoSlackStateStore;
  readonly pacing: DynamoSlackPacingStore;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}) {
    super(doc, tableName, options);
    this.alerts = new DynamoAlertIntakeStore(this.ctx);
    this.counts = new DynamoAlertCountStore(this.ctx, this.incidents);
    this.outbox = new DynamoOutboxStore(this.ctx);
    this.slack = new DynamoSlackStateStore(this.ctx, this.incidents);
    this.pacing = new DynamoSlackPacingStore(this.ctx);
  }

  // ingest (AlertIntake)
  findOpenIncidentId: IncidentStore['findOpenIncidentId'] = (...args) => this.alerts.findOpenIncidentId(...args);
  openIncident: IncidentStore['openIncident'] = (...args) => this.alerts.openIncident(...args);
  attachAlert: IncidentStore['attachAlert'] = (...args) => this.alerts.attachAlert(...args);
  attachAlerts: IncidentStore['attachAlerts'] = (...args) => this.alerts.attachAlerts(...args);
  recordRepeat: IncidentStore['recordRepeat'] = (...args) => this.alerts.recordRepeat(...args);
  recordAlert: IncidentStore['recordAlert'] = (...args) => this.alerts.recordAlert(...args);
  noteOnIncident: IncidentStore['noteOnIncident'] = (...args) => this.alerts.noteOnIncident(...args);
  // the alert stream (AlertCounter)
  countAlerts: IncidentStore['countAlerts'] = (...args) => this.counts.countAlerts(...args);
  keepMovedAlert: IncidentStore['keepMovedAlert'] = (...args) => this.counts.keepMovedAlert(...args);
  // the clock (TimerStore; listTimers is the officer store's)
  getTimer: IncidentStore['getTimer'] = (...args) => this.timers.getTimer(...args);
  getTimers: IncidentStore['getTimers'] = (...args) => this.timers.getTimers(...args);
  findDue: IncidentStore['findDue'] = (...args) => this.timers.findDue(...args);
  fireTimer: IncidentStore['fireTimer'] = (...args) => this.timers.fireTimer(...args);
  skipTimer: IncidentStore['skipTimer'] = (...args) => this.timers.skipTimer(...args);
  settleTimers: IncidentStore['settleTimers'] = (...args) => this.timers.settleTimers(...args);
  // the dispatcher (OutboxStore)
  getMessage: OutboxStore['getMessage'] = (...args) => this.outbox.getMessage(...args);
  claim: OutboxStore['claim'] = (...args) => this.outbox.claim(...args);
  markDelivered: OutboxStore['markDelivered'] = (...args) => this.outbox.markDelivered(...args);
  markUnconfirmed: OutboxStore['markUnconfirmed'] = (...args) => this.outbox.markUnconfirmed(...args);
  markFailed: OutboxStore['markFailed'] = (...args) => this.outbox.markFailed(...args);
  // Slack
  rememberOnce: DynamoSlackStateStore['rememberOnce'] = (...args) => this.slack.rememberOnce(...args);
  setSlackMessage: DynamoSlackStateStore['setSlackMessage'] = (...args) => this.slack.setSlackMessage(...args);
  // Slack's pace per channel (SlackPacing)
  takeSlot: SlackPacing['takeSlot'] = (...args) => this.pacing.takeSlot(...args);
  joinDigest: SlackPacing['joinDigest'] = (...args) => this.pacing.joinDigest(...args);
}
