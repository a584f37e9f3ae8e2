export type { AuditEntry, ClaimedRow, OutboxRow, PostedMessage, ThresholdOverride } from './alert-store.js';
export { AlertStore } from './alert-store.js';
export { migrate } from './migrations.js';
export type { SqlClient } from './sql.js';
export { openDatabase } from './sql.js';
