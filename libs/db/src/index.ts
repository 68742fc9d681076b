export { type Coalesced, coalesce } from './coalesce.js';
export { createDatabase, type DatabaseOptions } from './database.js';
export {
  applyBatchOnce,
  applyFreshBatch,
  applyOnce,
  checkpoint,
  type InboxEntry,
  inboxMigration,
} from './inbox.js';
export { jsonRecords, keyList } from './json-records.js';
export { migrateSchema } from './migrations.js';
