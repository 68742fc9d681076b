#!/usr/bin/env node
import { loadReplayConfig, natsCredentials, natsTls } from '@reserveit/config';
import { topology } from '@reserveit/contracts';
import { runReplayEntry, writersOf } from '@reserveit/replay';
import { applyMessages } from './projection/projector.js';
import { PROJECTION_SCHEMA, type ProjectionDb } from './projection/tables.js';

/**
 * The reservation projection's replay entry, run by `reserveit-ops replay reservation` as a child
 * process: the apply code stays the live projector's own (so a rebuild cannot drift from it) and
 * ops needs no import of this service. Reads NATS_URL, NATS_PREFIX, the NATS_USER variables, NATS_TLS_* and DATABASE_URL.
 */
const config = loadReplayConfig();
const { projector } = topology(config.NATS_PREFIX).consumers.reservation;
await runReplayEntry<ProjectionDb>({
  description: {
    name: 'reservation',
    schema: PROJECTION_SCHEMA,
    tables: ['businesses', 'menu_items', 'reservations', 'inbox'],
    stream: projector.stream,
    writers: writersOf(projector),
    inboxConsumer: projector.inbox.consumer,
  },
  natsUrl: config.NATS_URL,
  natsCredentials: natsCredentials(config, 'ops'),
  natsTls: natsTls(config),
  databaseUrl: config.DATABASE_URL,
  apply: (db, messages, schema) => applyMessages(db, messages, schema),
});
