export type { DatabaseHealth } from './database-health.js';
export { outageCode } from './database-health.js';
export type { EngineStateStore } from './engine-state-store.js';
export type { AvailabilityReading, HistoryStore, TimeRange } from './history-store.js';
export type { LeaseStore } from './lease-store.js';
export type {
  AlertHandling,
  ClaimedRow,
  Destination,
  OutboxEntry,
  OutboxKind,
  OutboxMessage,
  OutboxRow,
  OutboxStatus,
} from './outbox-rows.js';
export { OutboxRowError } from './outbox-rows.js';
export type { NotifierOutbox, OutboxStore, PostedGroup } from './outbox-store.js';
export type { AuditEntry, RulesStore, ThresholdOverride } from './rules-store.js';
export type { PollCommit, Store, StoreAggregates, StoreOptions } from './store.js';
export { openStore } from './store.js';
