#!/usr/bin/env node
import { loadReplayConfig, natsCredentials, natsTls } from '@reserveit/config';
import { topology } from '@reserveit/contracts';
import { runReplayEntry, writersOf } from '@reserveit/replay';
import { type ConversationDb, SCHEMA } from './database.js';
import { applyConversationEvents } from './rebuild.js';

/**
 * The conversation tables' replay entry, run by `reserveit-ops replay conversation --in-place`
 * with the service stopped: its writers are the partition consumers of inbound messages, which
 * decide from these tables, so they cannot be swapped under a running service (and `messages`
 * numbers its rows from a sequence). The outbox is not rebuilt: it is what the service decided to
 * publish, kept as it is. Reads NATS_URL, NATS_PREFIX, the NATS_USER variables, NATS_TLS_* and DATABASE_URL.
 */
const config = loadReplayConfig();
const streams = topology(config.NATS_PREFIX);
await runReplayEntry<ConversationDb>({
  description: {
    name: 'conversation',
    schema: SCHEMA,
    tables: ['conversations', 'messages', 'inbox'],
    stream: streams.streams.conversations.name,
    filterSubject: streams.subjects.conversationEventAll,
    writers: writersOf(streams.consumers.conversation.inbound),
  },
  natsUrl: config.NATS_URL,
  natsCredentials: natsCredentials(config, 'ops'),
  natsTls: natsTls(config),
  databaseUrl: config.DATABASE_URL,
  apply: (db, messages, schema) => applyConversationEvents(db, messages, schema),
});
