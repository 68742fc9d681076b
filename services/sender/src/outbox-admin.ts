#!/usr/bin/env node
import { loadAdminEntryConfig } from '@reserveit/config';
import { MAX_OUTBOX_KEYS_PER_RUN, type OutboxAdminLine, outboxKeySchema } from '@reserveit/contracts';
import { createDatabase } from '@reserveit/db';
import { z } from 'zod';
import { OutboxAdminStore } from './outbox/outbox-admin-store.js';
import type { SenderDb } from './outbox/tables.js';

/**
 * The outbox's admin entry, run by `reserveit-ops dlq redrive` as a child process, the way ops runs
 * the replay entry (replay.ts): ops imports no service code and never touches the outbox's tables,
 * whose queue-head rules only the sender's stores know. The sender serves no gRPC, so a bin is its one
 * way in besides the streams. JSON lines on stdout (libs/contracts/src/outbox-admin.ts); exit 0
 * done, 1 failed (message on stderr), 64 usage. Reads DATABASE_URL. The schema must exist: the
 * sender migrates it when it starts.
 */
const USAGE = `usage: reserveit-sender-outbox state <key>...   each row's state (null: no row)
       reserveit-sender-outbox reset <key>...   make each failed row due again, in its guest's order
At most ${MAX_OUTBOX_KEYS_PER_RUN} keys; meant to be run by \`reserveit-ops dlq redrive\`.`;

const argsSchema = z
  .tuple([z.enum(['state', 'reset'])], outboxKeySchema)
  .refine((args) => args.length > 1 && args.length <= MAX_OUTBOX_KEYS_PER_RUN + 1, {
    message: `expected 1 to ${MAX_OUTBOX_KEYS_PER_RUN} keys`,
  });

const print = (line: OutboxAdminLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(argv: string[]): Promise<number> {
  const parsed = argsSchema.safeParse(argv);
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues[0]?.message ?? 'bad arguments'}\n${USAGE}\n`);
    return 64;
  }
  const [command, ...keys] = parsed.data;
  const config = loadAdminEntryConfig();
  const db = createDatabase<SenderDb>({
    url: config.DATABASE_URL,
    applicationName: 'sender-outbox-admin',
    maxConnections: 1,
  });
  try {
    const store = new OutboxAdminStore(db);
    if (command === 'state') {
      const states = await store.states(keys);
      for (const key of keys) print({ type: 'state', key, state: states.get(key) ?? null });
      return 0;
    }
    // One transaction per key: a refusal (busy, not failed) leaves the others to go on.
    for (const key of new Set(keys))
      print({ type: 'reset', outcome: await store.resetFailed(key, new Date()) });
    return 0;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reserveit-sender-outbox: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
