import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OfficerStore } from '../../ports/incident-store.js';
import { DynamoDecisionStore } from './dynamo-decision-store.js';
import { DynamoIncidentReads } from './dynamo-incident-reads.js';
import { DynamoTimerStore } from './dynamo-timer-store.js';
import { storeContext, type DynamoStoreOptions, type StoreContext } from './store-context.js';
import type { TableReads } from './table-reads.js';

/**
 * What the officers' API reads and decides, on the single table: incidents, their alerts and timers, and people's
 * decisions (with the items a notice's write takes along). The api function builds only this, so its bundle
 * carries none of ingest's, the alert stream's or the dispatcher's writes; `DynamoIncidentStore` extends it.
 */
export class DynamoOfficerStore implements OfficerStore {
  protected readonly ctx: StoreContext;
  readonly incidents: DynamoIncidentReads;
  readonly decisions: DynamoDecisionStore;
  readonly timers: DynamoTimerStore;
  /** Every item of an incident's collection under a sort-key prefix (the notice store reads its items so). */
  readonly queryIncidentItems: TableReads['queryIncidentItems'];

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoStoreOptions = {}) {
    this.ctx = storeContext(doc, tableName, options);
    this.timers = new DynamoTimerStore(this.ctx);
    this.incidents = new DynamoIncidentReads(this.ctx, this.timers);
    this.decisions = new DynamoDecisionStore(this.ctx);
    this.queryIncidentItems = this.ctx.reads.queryIncidentItems.bind(this.ctx.reads);
  }

  // reads (IncidentReader, AlertReader)
  getIncident: OfficerStore['getIncident'] = (...args) => this.incidents.getIncident(...args);
  getIncidents: OfficerStore['getIncidents'] = (...args) => this.incidents.getIncidents(...args);
  getIncidentDetail: OfficerStore['getIncidentDetail'] = (...args) => this.incidents.getIncidentDetail(...args);
  listOpenIncidents: OfficerStore['listOpenIncidents'] = (...args) => this.incidents.listOpenIncidents(...args);
  pageOpenIncidents: OfficerStore['pageOpenIncidents'] = (...args) => this.incidents.pageOpenIncidents(...args);
  registerIncidents: OfficerStore['registerIncidents'] = (...args) => this.incidents.registerIncidents(...args);
  listIncidentAlerts: OfficerStore['listIncidentAlerts'] = (...args) => this.incidents.listIncidentAlerts(...args);
  listTimers: OfficerStore['listTimers'] = (...args) => this.timers.listTimers(...args);
  // decisions (DecisionStore)
  applyDecision: OfficerStore['applyDecision'] = (...args) => this.decisions.applyDecision(...args);
  decisionItems: DynamoDecisionStore['decisionItems'] = (...args) => this.decisions.decisionItems(...args);
  anchorItems: DynamoDecisionStore['anchorItems'] = (...args) => this.decisions.anchorItems(...args);
}
