import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IncidentStore, OutboxStore } from '../../ports/incident-store.js';
import { DynamoAlertCountStore } from './dynamo-alert-count-store.js';
import { DynamoAlertIntakeStore } from './dynamo-alert-intake-store.js';
import { DynamoDecisionStore } from './dynamo-decision-store.js';
import { DynamoIncidentReads } from './dynamo-incident-reads.js';
import { DynamoOutboxStore } from './dynamo-outbox-store.js';
import { DynamoSlackStateStore } from './dynamo-slack-state-store.js';
import { DynamoTimerStore } from './dynamo-timer-store.js';
import { storeContext, type DynamoStoreOptions } from './store-context.js';
import type { TableReads } from './table-reads.js';

export type { DynamoStoreOptions } from './store-context.js';

/**
 * Every incident port on the single table, for the wiring (runtime, local stack, tests): one store per port,
 * each built on the item modules under `items/` (keys and item shapes) and sharing one transaction helper
 * (`transaction.ts`). Every state change is one TransactWriteItems call. Use cases take the narrower ports.
 */
export class DynamoIncidentStore implements IncidentStore, OutboxStore {
  readonly alerts: DynamoAlertIntakeStore;
  readonly counts: DynamoAlertCountStore;
  readonly incidents: DynamoIncidentReads;
  readonly decisions: DynamoDecisionStore;
  readonly timers: DynamoTimerStore;
  readonly outbox: DynamoOutboxStore;
  readonly slack: DynamoSlackStateStore;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}) {
    const ctx = storeContext(doc, tableName, options);
    this.timers = new DynamoTimerStore(ctx);
    this.incidents = new DynamoIncidentReads(ctx, this.timers);
    this.alerts = new DynamoAlertIntakeStore(ctx);
    this.counts = new DynamoAlertCountStore(ctx, this.incidents);
    this.decisions = new DynamoDecisionStore(ctx);
    this.outbox = new DynamoOutboxStore(ctx);
    this.slack = new DynamoSlackStateStore(ctx, this.incidents);
    this.queryIncidentItems = ctx.reads.queryIncidentItems.bind(ctx.reads);
  }

  /** Every item of an incident's collection under a sort-key prefix (the notice store reads its items so). */
  readonly queryIncidentItems: TableReads['queryIncidentItems'];

  // ingest (AlertIntake, AlertReader)
  findOpenIncidentId: IncidentStore['findOpenIncidentId'] = (...args) => this.alerts.findOpenIncidentId(...args);
  openIncident: IncidentStore['openIncident'] = (...args) => this.alerts.openIncident(...args);
  attachAlert: IncidentStore['attachAlert'] = (...args) => this.alerts.attachAlert(...args);
  attachAlerts: IncidentStore['attachAlerts'] = (...args) => this.alerts.attachAlerts(...args);
  recordRepeat: IncidentStore['recordRepeat'] = (...args) => this.alerts.recordRepeat(...args);
  recordAlert: IncidentStore['recordAlert'] = (...args) => this.alerts.recordAlert(...args);
  noteOnIncident: IncidentStore['noteOnIncident'] = (...args) => this.alerts.noteOnIncident(...args);
  listIncidentAlerts: IncidentStore['listIncidentAlerts'] = (...args) => this.alerts.listIncidentAlerts(...args);
  // the alert stream (AlertCounter)
  countAlerts: IncidentStore['countAlerts'] = (...args) => this.counts.countAlerts(...args);
  keepMovedAlert: IncidentStore['keepMovedAlert'] = (...args) => this.counts.keepMovedAlert(...args);
  // reads (IncidentReader)
  getIncident: IncidentStore['getIncident'] = (...args) => this.incidents.getIncident(...args);
  getIncidentDetail: IncidentStore['getIncidentDetail'] = (...args) => this.incidents.getIncidentDetail(...args);
  listOpenIncidents: IncidentStore['listOpenIncidents'] = (...args) => this.incidents.listOpenIncidents(...args);
  pageOpenIncidents: IncidentStore['pageOpenIncidents'] = (...args) => this.incidents.pageOpenIncidents(...args);
  registerIncidents: IncidentStore['registerIncidents'] = (...args) => this.incidents.registerIncidents(...args);
  // decisions (DecisionStore)
  applyDecision: IncidentStore['applyDecision'] = (...args) => this.decisions.applyDecision(...args);
  decisionItems: DynamoDecisionStore['decisionItems'] = (...args) => this.decisions.decisionItems(...args);
  // the clock (TimerStore)
  listTimers: IncidentStore['listTimers'] = (...args) => this.timers.listTimers(...args);
  getTimer: IncidentStore['getTimer'] = (...args) => this.timers.getTimer(...args);
  findDue: IncidentStore['findDue'] = (...args) => this.timers.findDue(...args);
  fireTimer: IncidentStore['fireTimer'] = (...args) => this.timers.fireTimer(...args);
  skipTimer: IncidentStore['skipTimer'] = (...args) => this.timers.skipTimer(...args);
  // the dispatcher (OutboxStore)
  getMessage: OutboxStore['getMessage'] = (...args) => this.outbox.getMessage(...args);
  claim: OutboxStore['claim'] = (...args) => this.outbox.claim(...args);
  markDelivered: OutboxStore['markDelivered'] = (...args) => this.outbox.markDelivered(...args);
  markFailed: OutboxStore['markFailed'] = (...args) => this.outbox.markFailed(...args);
  // Slack
  rememberOnce: DynamoSlackStateStore['rememberOnce'] = (...args) => this.slack.rememberOnce(...args);
  setSlackMessage: DynamoSlackStateStore['setSlackMessage'] = (...args) => this.slack.setSlackMessage(...args);
}
