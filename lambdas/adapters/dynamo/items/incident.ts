import { isOpen, type Incident } from '../../../domain/incident-record.js';
import { OPEN_PARTITION, registerPartition, TABLE_KEYS as K } from '../table-definition.js';
import type { TransactItem } from '../transaction.js';

/** The incident item `INC#<id>/META`, and the fingerprint item that names the open incident of an alert fingerprint. */
export const incidentKey = (id: string) => ({ PK: `INC#${id}`, SK: 'META' });
export const fingerprintKey = (source: string, fingerprint: string) => ({ PK: `FP#${source}#${fingerprint}`, SK: 'FP' });

/** The open index orders by the most urgent deadline (then id); an incident written before that was kept, by detection. */
function openSortOf(incident: Incident): string {
  return `${incident.nextDeadlineAt ?? incident.detectedAt}#${incident.id}`;
}

/** Fields of the incident record that a decision may change; alertCount/lastAlertAt are counters owned by ingest. */
const DECIDED_FIELDS = [
  'title', 'severity', 'status', 'occurredAt', 'detectedAt', 'awareAt', 'awareSetBy', 'awareJustification',
  'acknowledgedAt', 'acknowledgedBy', 'owner', 'ownedAt', 'confirmedAt', 'confirmedBy', 'dismissedAt', 'dismissedBy', 'dismissReason',
  'closedAt', 'closedBy', 'closeReason', 'riskAssessedAt', 'noticeApprovedAt', 'notifiedAt', 'overdueAt', 'lastSourceStatus', 'facts', 'factAuthors', 'riskAssessment', 'decisions', 'submissions', 'regimeAwareness', 'regimeDismissals', 'clockPins', 'trail',
  'lastEscalation', 'planEpoch', 'version', 'kind', 'tasks', 'nextDeadlineAt',
] as const satisfies readonly (keyof Incident)[];

/** The whole incident item, in the open index while open and in the register by month of detection. */
export function incidentItem(incident: Incident): Record<string, unknown> {
  return {
    ...incidentKey(incident.id),
    entity: 'Incident',
    ...incident,
    ...(isOpen(incident) ? { [K.openPartitionKey]: OPEN_PARTITION, [K.openSortKey]: openSortOf(incident) } : {}),
    // Every incident is in the register, by month of detection.
    [K.registerPartitionKey]: registerPartition(incident.detectedAt),
    [K.registerSortKey]: `${incident.detectedAt}#${incident.id}`,
  };
}

/** A new incident, with the fingerprint item that makes it the one open incident of its fingerprint. */
export function incidentOpeningPuts(tableName: string, incident: Incident): [TransactItem, TransactItem] {
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...fingerprintKey(incident.source, incident.fingerprint), entity: 'Fingerprint', incidentId: incident.id },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    { Put: { TableName: tableName, Item: incidentItem(incident), ConditionExpression: 'attribute_not_exists(PK)' } },
  ];
}

/** Frees the fingerprint for a new incident (the incident closed or was dismissed), if it is still this incident's. */
export function fingerprintRelease(tableName: string, incident: Incident): TransactItem {
  return {
    Delete: {
      TableName: tableName,
      Key: fingerprintKey(incident.source, incident.fingerprint),
      ConditionExpression: 'attribute_not_exists(PK) OR incidentId = :id',
      ExpressionAttributeValues: { ':id': incident.id },
    },
  };
}

/** Counts an opening against a routing rule's storm budget for its window; fails beyond the cap. */
export function stormBudgetAdd(tableName: string, budget: { readonly key: string; readonly cap: number; readonly expiresAt: string }): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: { PK: `STORM#${budget.key}`, SK: 'STORM' },
      UpdateExpression: 'ADD opened :one SET entity = :entity, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(opened) OR opened < :cap',
      ExpressionAttributeNames: { '#ttl': K.ttlAttribute },
      ExpressionAttributeValues: { ':one': 1, ':cap': budget.cap, ':entity': 'StormBudget', ':ttl': Math.floor(Date.parse(budget.expiresAt) / 1000) },
    },
  };
}

/** Writes every decided field of the incident (removing unset ones) under the given condition, and its open-index keys. */
export function incidentUpdate(tableName: string, incident: Incident, condition: string, values: Record<string, unknown>): TransactItem {
  const names: Record<string, string> = {};
  const exprValues: Record<string, unknown> = { ...values };
  const sets: string[] = [];
  const removes: string[] = [];
  for (const field of DECIDED_FIELDS) {
    names[`#${field}`] = field;
    const value = incident[field];
    if (value === undefined) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      exprValues[`:${field}`] = value;
    }
  }
  names['#op'] = K.openPartitionKey;
  names['#os'] = K.openSortKey;
  if (isOpen(incident)) {
    sets.push('#op = :openPartition', '#os = :openSort');
    exprValues[':openPartition'] = OPEN_PARTITION;
    exprValues[':openSort'] = openSortOf(incident);
  } else {
    removes.push('#op', '#os');
  }
  return {
    Update: {
      TableName: tableName,
      Key: incidentKey(incident.id),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: exprValues,
    },
  };
}
