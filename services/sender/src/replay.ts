#!/usr/bin/env node
import { loadReplayConfig, natsCredentials, natsTls } from '@reserveit/config';
import { topology } from '@reserveit/contracts';
import { runReplayEntry, writersOf } from '@reserveit/replay';
import type { StatusUpdate } from './domain/status-fold.js';
import { upsertStatuses } from './outbox/status-store.js';
import { SENDER_SCHEMA, type SenderDb } from './outbox/tables.js';
import { statusUpdateOf } from './status-projection.js';

/**
 * The delivery-status projection's replay entry, run by `reserveit-ops replay sender-statuses`
 * as a child process. Only sender.statuses is rebuilt: the outbox beside it is the sender's own
 * record of what it sent, not derived from a stream. The projection has no inbox because applying
 * a status again changes nothing (the highest rank wins), so a batch is folded and written in one
 * statement. Reads NATS_URL, NATS_PREFIX, the NATS_USER variables, NATS_TLS_* and DATABASE_URL.
 */
const config = loadReplayConfig();
const streams = topology(config.NATS_PREFIX);
await runReplayEntry<SenderDb>({
  description: {
    name: 'sender-statuses',
    schema: SENDER_SCHEMA,
    tables: ['statuses'],
    stream: streams.streams.whatsapp.name,
    filterSubject: streams.consumers.sender.statuses.filterSubject,
    writers: writersOf(streams.consumers.sender.statuses),
  },
  natsUrl: config.NATS_URL,
  natsCredentials: natsCredentials(config, 'ops'),
  natsTls: natsTls(config),
  databaseUrl: config.DATABASE_URL,
  batchSize: 1000,
  apply: async (db, messages, schema) => {
    const updates = messages.map(statusUpdateOf).filter((u): u is StatusUpdate => typeof u !== 'string');
    await upsertStatuses(db, updates, new Date(), schema);
  },
});
