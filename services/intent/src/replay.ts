#!/usr/bin/env node
import { loadReplayConfig, natsCredentials, natsTls } from '@reserveit/config';
import { topology } from '@reserveit/contracts';
import { runReplayEntry, writersOf } from '@reserveit/replay';
import { type IntentDatabase, SCHEMA } from './database.js';
import { applyTurns } from './memory/memory-projector.js';

/**
 * The conversation memory's replay entry, run by `reserveit-ops replay intent-memory` as a child
 * process with the live projector's own apply code. Only the memory and its inbox are rebuilt:
 * the inference log in the same schema is no projection (nothing in a stream says what the
 * model answered) and stays as it is. Reads NATS_URL, NATS_PREFIX, the NATS_USER variables, NATS_TLS_* and DATABASE_URL.
 */
const config = loadReplayConfig();
const { memory } = topology(config.NATS_PREFIX).consumers.intent;
await runReplayEntry<IntentDatabase>({
  description: {
    name: 'intent-memory',
    schema: SCHEMA,
    tables: ['conversation_turns', 'inbox'],
    stream: memory.stream,
    ...(memory.filterSubject ? { filterSubject: memory.filterSubject } : {}),
    writers: writersOf(memory),
    inboxConsumer: memory.inbox.consumer,
  },
  natsUrl: config.NATS_URL,
  natsCredentials: natsCredentials(config, 'ops'),
  natsTls: natsTls(config),
  databaseUrl: config.DATABASE_URL,
  apply: (db, messages, schema) => applyTurns(db, messages, undefined, schema),
});
