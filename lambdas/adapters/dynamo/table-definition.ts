import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table. Shared by the DynamoDB adapter, the local stack (which creates it) and the CDK stack
 * (which declares it); a CDK test checks the two declarations agree. Data model: docs/architecture.md.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** Sparse index of everything that is due: pending timers and undelivered outbox messages. */
  dueIndex: 'due',
  duePartitionKey: 'duePartition',
  dueSortKey: 'dueAt',
  /** Sparse index of open incidents, most urgent deadline first (keys only). */
  openIndex: 'open',
  openPartitionKey: 'openPartition',
  openSortKey: 'openSort',
  /** Sparse index of every incident, open or not, by month of detection: the Art. 33(5) register (keys only). */
  registerIndex: 'register',
  registerPartitionKey: 'registerPartition',
  registerSortKey: 'registerSort',
  ttlAttribute: 'expiresAt',
} as const;

/** The register's partition for an incident: the month it was detected (so a period is a few queries). */
export function registerPartition(detectedAt: string): string {
  return `REG#${detectedAt.slice(0, 7)}`;
}

export const DUE_PARTITION = 'DUE';
export const OPEN_PARTITION = 'OPEN';

export function createTableInput(tableName: string): CreateTableCommandInput {
  const k = TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: k.partitionKey, AttributeType: 'S' },
      { AttributeName: k.sortKey, AttributeType: 'S' },
      { AttributeName: k.duePartitionKey, AttributeType: 'S' },
      { AttributeName: k.dueSortKey, AttributeType: 'S' },
      { AttributeName: k.openPartitionKey, AttributeType: 'S' },
      { AttributeName: k.openSortKey, AttributeType: 'S' },
      { AttributeName: k.registerPartitionKey, AttributeType: 'S' },
      { AttributeName: k.registerSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: k.partitionKey, KeyType: 'HASH' },
      { AttributeName: k.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: k.dueIndex,
        KeySchema: [
          { AttributeName: k.duePartitionKey, KeyType: 'HASH' },
          { AttributeName: k.dueSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: k.openIndex,
        KeySchema: [
          { AttributeName: k.openPartitionKey, KeyType: 'HASH' },
          { AttributeName: k.openSortKey, KeyType: 'RANGE' },
        ],
        // Keys only (ADR 0011): an incident's other attributes change without writing the index.
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      registerIndexDefinition(),
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}

/** The register index, also added to a table created before it existed (ensureTable, the local stack). */
export function registerIndexDefinition() {
  return {
    IndexName: TABLE_KEYS.registerIndex,
    KeySchema: [
      { AttributeName: TABLE_KEYS.registerPartitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.registerSortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'KEYS_ONLY' as const },
  };
}
