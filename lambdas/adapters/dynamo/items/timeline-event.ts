import type { Incident, TimelineEvent } from '../../../domain/incident-record.js';
import { chainEvent, type ChainedEvent } from '../../../domain/trail.js';
import type { TransactItem } from '../transaction.js';

/** Ordered by time, then by place in the hash chain (unique per incident: chain writes are serialised). */
export const eventKey = (incidentId: string, at: string, seq: number) => ({ PK: `INC#${incidentId}`, SK: `EVT#${at}#s${String(seq).padStart(7, '0')}` });

export function eventPut(tableName: string, incidentId: string, event: ChainedEvent, version: number): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...eventKey(incidentId, event.at, event.seq), entity: 'TimelineEvent', incidentId, version, ...event },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/**
 * Appends the write's event to the incident's hash chain: the incident as read carries the trail head, the
 * new head is written with it under the same version condition, so two writers can never fork the chain.
 */
export function chained(incident: Incident, event: TimelineEvent): { incident: Incident; event: ChainedEvent } {
  const { event: link, head } = chainEvent(incident.trail, incident.id, event);
  return { incident: { ...incident, trail: head }, event: link };
}
