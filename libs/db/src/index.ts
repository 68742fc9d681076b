export { createDatabase, type DatabaseOptions } from './database.js';
export { applyBatchOnce, applyOnce, checkpoint, type InboxEntry, inboxMigration } from './inbox.js';
export { migrateSchema } from './migrations.js';
