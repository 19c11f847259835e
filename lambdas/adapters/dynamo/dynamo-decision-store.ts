import { cancellationCodes, writeTransaction, type TransactItem } from './transaction.js';
import { ConcurrentUpdateError, type DecisionStore, type DecisionWrite } from '../../ports/incident-store.js';
import { fingerprintRelease, incidentUpdate } from './items/incident.js';
import { anchorMessageFor } from '../../domain/trail-anchor.js';
import type { ChainedEvent } from '../../domain/trail.js';
import { messagePut } from './items/outbox-message.js';
import { chained, eventPut } from './items/timeline-event.js';
import { timerCancel, timerPut } from './items/timer.js';
import type { StoreContext } from './store-context.js';

/** People's decisions: the incident, its timeline event, timers and outbox messages in one transaction. */
export class DynamoDecisionStore implements DecisionStore {
  constructor(private readonly ctx: StoreContext) {}

  async applyDecision(write: DecisionWrite): Promise<void> {
    try {
      await writeTransaction(this.ctx.doc, this.decisionItems(write));
    } catch (error) {
      if (cancellationCodes(error)) throw new ConcurrentUpdateError(write.incident.id, { cause: error });
      throw error;
    }
  }

  /** The transaction items of a decision, for a caller that must write it together with its own (notices). */
  decisionItems(write: DecisionWrite): TransactItem[] {
    const { tableName } = this.ctx;
    const { incident, event } = chained(write.incident, write.event);
    return [
      incidentUpdate(tableName, incident, '#version = :expected', { ':expected': write.expectedVersion }),
      eventPut(tableName, incident.id, event, incident.version),
      ...write.upsertTimers.map((timer) => timerPut(tableName, incident.id, timer, incident.planEpoch)),
      ...write.cancelTimers.map((timerId) => timerCancel(tableName, incident.id, timerId, `cancelled by ${write.event.type}`)),
      ...(write.releaseFingerprint ? [fingerprintRelease(tableName, incident)] : []),
      ...write.outbox.map((message) => messagePut(tableName, message, this.ctx.outboxRedriveMs)),
      ...this.anchorItems(incident.id, event),
    ];
  }

  /** After an anchored event (approval, decision, submission, closing), the message that anchors the trail, in the same transaction. */
  anchorItems(incidentId: string, event: ChainedEvent): TransactItem[] {
    const message = anchorMessageFor(incidentId, event);
    return message ? [messagePut(this.ctx.tableName, message, this.ctx.outboxRedriveMs)] : [];
  }
}
