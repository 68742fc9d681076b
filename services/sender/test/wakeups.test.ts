import type { RecordedRequest } from '@reserveit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, eventually, type Harness, harness } from './sender-under-test.js';

let h: Harness;
let other: pg.Client;

beforeAll(async () => {
  h = await harness();
  other = new pg.Client({ connectionString: h.database.url });
  await other.connect();
});

afterAll(async () => {
  await other?.end();
  await h.cleanup();
});

const keyOf = (request: RecordedRequest) =>
  typeof request.body === 'object' && request.body !== null
    ? String((request.body as Record<string, unknown>).biz_opaque_callback_data)
    : '';

/** Statements of the sender (this test's database) waiting for a row lock. */
const waitingForLocks = async () => {
  const { rows } = await other.query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and application_name = 'sender' and wait_event_type = 'Lock'`,
  );
  return rows[0]?.n ?? 0;
};

describe('new work wakes the dispatcher', () => {
  it("sends a guest's next reply at once when it was recorded while the answer of the reply before it was being recorded", async () => {
    const first = command({ kind: 'text', body: 'Your table is booked', previewUrl: false });
    const second = command({ kind: 'text', body: 'See you on Friday', previewUrl: false }, { to: first.to });
    // A poll a minute away: the second reply goes out promptly only if something wakes the dispatcher.
    await h.start(
      { SENDER_POLL_MS: '60000' },
      {
        // Meta answered the first reply; this test holds its row, so recording that answer waits,
        // its statement begun before the second reply exists.
        afterCall: async (key) => {
          if (key !== first.id) return;
          await other.query('begin');
          await other.query('select 1 from sender.outbox where key = $1 for update', [key]);
        },
      },
    );
    await h.request(first);
    await eventually(async () => (await waitingForLocks()) >= 1);
    await h.request(second);
    // The second reply is recorded behind the first, or its insert waits for the first's row too.
    await eventually(
      async () =>
        (await other.query('select 1 from sender.outbox where key = $1', [second.id])).rowCount === 1 ||
        (await waitingForLocks()) >= 2,
    );
    await other.query('commit');

    await eventually(() => h.graph.requests.some((request) => keyOf(request) === second.id), 15_000);
    expect(h.graph.requests.map(keyOf)).toEqual([first.id, second.id]);
  });
});
