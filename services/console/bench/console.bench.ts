/**
 * pnpm bench:console — the staff console under load: all five services and the console as
 * processes, 50 restaurants with a year of bookings on RESERVATIONS and guests in their inboxes,
 * then
 *   1. SESSIONS signed-in staff (one connection each, closed loop, autocannon) on the day view, the
 *      inbox and, as the baseline, GET /api/session (authenticated; the restaurant names it
 *      shows are cached, so no upstream call);
 *   2. SSE live connections spread over the restaurants while guests write at LIVE_RATE
 *      messages/s (open loop): webhook POST → `conversation` event on every connection of that
 *      restaurant. Baselines over the same messages and the same seconds: webhook POST → first
 *      reply at the fake Graph API (the other way out of the same conversation decision), and
 *      a plain NATS publish → subscriber round trip.
 *
 *   pnpm build && pnpm bench:console
 *   BENCH_BOOKINGS=100000 BENCH_HTTP_S=5 BENCH_LIVE_S=10 pnpm bench:console
 *
 * Knobs (defaults): BENCH_BOOKINGS (500,000), BENCH_RESTAURANTS (50), BENCH_GUESTS per restaurant
 * (20), BENCH_SESSIONS (32), BENCH_HTTP_S per route (10), BENCH_SSE connections (200),
 * BENCH_LIVE_RATE messages/s (100), BENCH_LIVE_S (20), BENCH_CATCH_UP_S (240).
 *
 * NATS_URL (default: a private nats-server) and DATABASE_URL (default the local Postgres at
 * 127.0.0.1:5432; a fresh database is made and dropped, also on Ctrl-C) as for the tests.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { pathOf } from '@reserveit/console-api';
import { topology } from '@reserveit/contracts';
import { FakeWhatsApp, type RunningSystem, startSystem } from '@reserveit/e2e';
import { findRepoRoot, type NatsServer, newWamid, startNatsServer } from '@reserveit/localstack';
import { useDatabase } from '@reserveit/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { appendYearOfBookings, benchBusiness, yearDate } from '../../reservation/bench/year-of-bookings.js';
import type { ConsoleDb } from '../src/database.js';
import { StaffAccounts } from '../src/staff-accounts.js';
import { ConsoleClient } from '../test/console-under-test.js';
import { cpuSplit, perUnit } from './cpu-split.js';
import { ms, spread, table } from './figures.js';
import { type LoadFigures, loadConsole } from './http-load.js';
import { LiveListener } from './live-listener.js';

const count = (fallback: number, max = 10_000_000) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const knobSchema = z
  .object({
    BENCH_BOOKINGS: count(500_000),
    BENCH_RESTAURANTS: count(50, 1_000),
    /** Guests per restaurant with a conversation in the inbox (the inbox shows 4 digits of each). */
    BENCH_GUESTS: count(20, 9_999),
    BENCH_SESSIONS: count(32),
    BENCH_HTTP_S: count(10),
    BENCH_SSE: count(200),
    BENCH_LIVE_RATE: count(100),
    BENCH_LIVE_S: count(20),
    /** How long the reservation stream's consumers may take to catch up with the loaded year. */
    BENCH_CATCH_UP_S: count(240),
  })
  .refine((k) => k.BENCH_SESSIONS <= k.BENCH_RESTAURANTS, {
    message: 'every session needs a restaurant: BENCH_SESSIONS ≤ BENCH_RESTAURANTS',
  })
  // The live phase's guests must stay under the anti-spam limit (20 messages a minute each), or
  // the conversation service stops answering them and the reply baseline has gaps.
  .refine((k) => (k.BENCH_LIVE_RATE * 60) / (k.BENCH_RESTAURANTS * k.BENCH_GUESTS) < 20, {
    message: 'BENCH_LIVE_RATE × 60 / (BENCH_RESTAURANTS × BENCH_GUESTS) must stay under 20 a minute',
  });
const parsedKnobs = knobSchema.safeParse(process.env);
if (!parsedKnobs.success) {
  process.stderr.write(`${z.prettifyError(parsedKnobs.error)}\n`);
  process.exit(1);
}
const knobs = parsedKnobs.data;
const RESTAURANTS = knobs.BENCH_RESTAURANTS;
const PASSWORD = 'bench password for the console';
/** A week in the middle of the loaded year: the days staff look at, each as busy as any other. */
const BUSY_DATES = Array.from({ length: 7 }, (_, d) => yearDate(180 + d));
/** Bookings a second seated through the console during the second day-view run. */
const CHURN_PER_S = 20;
const TEXTS = ['Hi', 'What are your opening hours?', 'Can I see the menu?', 'Thank you'];
const TARGET_HTTP_P99_MS = 50;
const TARGET_LIVE_P99_MS = 1_000;

const out = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const root = findRepoRoot();
for (const name of ['ingress', 'intent', 'reservation', 'conversation', 'sender', 'console']) {
  if (!existsSync(join(root, 'services', name, 'dist', 'main.js'))) {
    process.stderr.write(`services/${name}/dist/main.js is missing: run \`pnpm build\` first.\n`);
    process.exit(1);
  }
}

/** What was started, undone in reverse order at the end, on failure and on Ctrl-C alike. */
const undo: (() => Promise<unknown>)[] = [];
let cleaning: Promise<void> | undefined;
const cleanUp = () => {
  cleaning ??= (async () => {
    for (const step of undo.reverse()) {
      await step().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
    }
  })();
  return cleaning;
};
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping everything and dropping the database…\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

interface Guest {
  restaurant: number;
  waId: string;
  name: string;
  conversationId?: string;
}

/** One guest message of the live phase. */
interface Sent {
  guest: Guest;
  wamid: string;
  sentAt: number;
  /** Ingress answered 200. */
  ok: boolean;
}

/** Guest `g` of restaurant `r`: its last four digits are `g`, as the inbox shows them. */
const guestOf = (r: number, g: number): Guest => ({
  restaurant: r,
  waId: `9716${String(r).padStart(3, '0')}${String(g).padStart(5, '0')}`,
  name: `Guest ${r}-${g}`,
});

/** Staff member `s` works at every restaurant `r` with r mod SESSIONS = s. */
const restaurantsOf = (s: number) =>
  Array.from({ length: RESTAURANTS }, (_, r) => r).filter((r) => r % knobs.BENCH_SESSIONS === s);
const sessionOf = (r: number) => r % knobs.BENCH_SESSIONS;

async function benchmark(): Promise<void> {
  const nats: NatsServer | undefined = process.env.NATS_URL ? undefined : await startNatsServer();
  if (nats) undo.push(() => nats.stop());
  const natsUrl = process.env.NATS_URL ?? nats?.url ?? '';
  const db = await useDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  undo.push(() => db.drop());
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  const t = topology(prefix);
  const nc = await connect({ servers: natsUrl, name: 'console-bench' });
  undo.push(async () => {
    const jsm = await jetstreamManager(nc);
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${prefix}_`)) await jsm.streams.delete(info.config.name);
    }
    await nc.close();
  });
  const dir = await mkdtemp(join(tmpdir(), 'console-bench-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));
  const whatsapp = await FakeWhatsApp.start();
  undo.push(() => whatsapp.close());

  out(
    `console benchmark: ${cpus().length} cores, NATS ${nats ? 'private nats-server' : natsUrl}, knobs ${Object.entries(
      knobs,
    )
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
  );

  // The restaurants as a seed file, as deploy/local/seed.json is applied: registered before the
  // reservation service answers ready, through its own commands, with no extra step here.
  const seedFile = join(dir, 'seed.json');
  await writeFile(
    seedFile,
    JSON.stringify({
      businesses: Array.from({ length: RESTAURANTS }, (_, b) => ({ ...benchBusiness(b), menu: [] })),
    }),
  );
  let started = Date.now();
  const system: RunningSystem = await startSystem({
    natsUrl,
    prefix,
    databaseUrl: db.url,
    graphBaseUrl: whatsapp.graphBaseUrl,
    serviceEnv: { reservation: { RESERVATION_SEED_FILE: seedFile } },
    console: {},
  });
  undo.push(() => system.stop());
  whatsapp.connect(system);
  const consoleUrl = system.consoleUrl as string;
  out(`system with the console ready in ${seconds(started)}`);

  // --- A year of bookings, appended as the reservation service appends them.
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  started = Date.now();
  const { perDay, appended } = await appendYearOfBookings(js, t, {
    bookings: knobs.BENCH_BOOKINGS,
    businesses: RESTAURANTS,
  });
  const loadS = (Date.now() - started) / 1000;
  out(
    `appended ${appended.toLocaleString('en-US')} bookings (${perDay} per restaurant and day) in ${loadS.toFixed(1)} s, ${(appended / loadS).toFixed(0)}/s`,
  );
  // The day view reads each day from the stream, not the projection, but the projector (and the
  // console's live feed, which reads every reservation event) working through the backlog would
  // take the cores the measurements share: wait until every consumer of the stream caught up.
  started = Date.now();
  const catchUpDeadline = started + knobs.BENCH_CATCH_UP_S * 1000;
  let behind = Number.POSITIVE_INFINITY;
  let lastReport = started;
  while (behind > 0 && Date.now() < catchUpDeadline) {
    behind = 0;
    for await (const info of jsm.consumers.list(t.streams.reservations.name)) {
      behind += info.num_pending + info.num_ack_pending;
    }
    if (behind > 0) {
      if (Date.now() - lastReport > 15_000) {
        out(`  consumers of RESERVATIONS still ${behind.toLocaleString('en-US')} behind…`);
        lastReport = Date.now();
      }
      await sleep(500);
    }
  }
  const catchUp =
    behind === 0 ? `caught up after ${seconds(started)}` : `still ${behind} behind after ${seconds(started)}`;
  out(`reservation projector and live feed ${catchUp}`);

  // --- Staff: one account per session, host at its restaurants, signed in as the web app does.
  const kysely = new Kysely<ConsoleDb>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 2 }) }),
  });
  undo.push(() => kysely.destroy());
  const staff = new StaffAccounts(kysely);
  const sessions: ConsoleClient[] = [];
  for (let s = 0; s < knobs.BENCH_SESSIONS; s++) {
    const email = `staff${s}@bench.example`;
    for (const r of restaurantsOf(s)) {
      await staff.add({
        email,
        name: `Staff ${s}`,
        businessId: benchBusiness(r).id,
        role: 'host',
        password: PASSWORD,
      });
    }
    const client = new ConsoleClient(consoleUrl);
    const { status } = await client.call('login', { body: { email, password: PASSWORD } });
    if (status !== 200) throw new Error(`login of ${email} answered ${status}`);
    sessions.push(client);
  }
  const sessionFor = (r: number) => sessions[sessionOf(r)] as ConsoleClient;

  // --- The inboxes: GUESTS guests per restaurant write once, through ingress like Meta.
  started = Date.now();
  const guests = Array.from({ length: knobs.BENCH_GUESTS }, (_, g) =>
    Array.from({ length: RESTAURANTS }, (_, r) => guestOf(r, g)),
  ).flat();
  const firstWamids: string[] = [];
  await inParallel(guests, 16, async (guest) => {
    const phoneNumberId = benchBusiness(guest.restaurant).profile.phoneNumberId;
    firstWamids.push(await whatsapp.text(guest, 'Hi', newWamid(), phoneNumberId));
  });
  for (let r = 0; r < RESTAURANTS; r++) {
    const byTail = new Map(
      guests.filter((g) => g.restaurant === r).map((g) => [g.waId.slice(-4), g] as const),
    );
    const deadline = Date.now() + 60_000;
    for (;;) {
      const listed: { id: string; guestPhoneTail: string }[] = [];
      let cursor: string | null = null;
      do {
        const { body } = await sessionFor(r).call('conversations', {
          params: { businessId: benchBusiness(r).id },
          query: cursor ? { cursor } : {},
        });
        listed.push(...body.conversations);
        cursor = body.nextCursor;
      } while (cursor);
      for (const summary of listed) {
        const guest = byTail.get(summary.guestPhoneTail);
        if (guest) guest.conversationId = summary.id;
      }
      if ([...byTail.values()].every((g) => g.conversationId)) break;
      if (Date.now() > deadline)
        throw new Error(`${benchBusiness(r).id} lists ${listed.length} conversations`);
      await sleep(250);
    }
  }
  // Their replies too, so nothing of this phase still runs while the console is measured.
  const unanswered = (await Promise.all(firstWamids.map((w) => whatsapp.firstReply(w, 30_000)))).filter(
    (at) => at === undefined,
  ).length;
  out(
    `${guests.length} conversations listed in the inboxes and answered in ${seconds(started)}${unanswered ? ` (${unanswered} unanswered)` : ''}`,
  );

  // --- Closed-loop HTTP: each session round its restaurants (and, for the day view, the busy week).
  const cookies = sessions.map((client) => client.cookie);
  const http: (LoadFigures & { cpu: string; note: string })[] = [];
  const sheetReads = async () => {
    const text = await (await fetch(`${consoleUrl}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^console_day_sheet_reads_total\\{[^}]*result="${result}"[^}]*\\} (\\d+)`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    return { hit: count('hit'), miss: count('miss') };
  };
  const run = async (
    label: string,
    pathsOf: (connection: number) => string[],
    during?: () => Promise<number>,
  ) => {
    out(`${label}: ${cookies.length} sessions for ${knobs.BENCH_HTTP_S} s…`);
    const before = cpuSplit(db.name);
    const reads = await sheetReads();
    const alongside = during?.();
    const figures = await loadConsole({
      label,
      url: consoleUrl,
      cookies,
      durationS: knobs.BENCH_HTTP_S,
      pathsOf,
    });
    const changes = await alongside;
    const after = await sheetReads();
    const sheets = after.hit + after.miss - reads.hit - reads.miss;
    const note = [
      sheets > 0
        ? `day sheets from the console's cache ${Math.round((100 * (after.hit - reads.hit)) / sheets)} %`
        : '',
      changes !== undefined ? `${changes} bookings seated meanwhile` : '',
    ]
      .filter(Boolean)
      .join(', ');
    http.push({ ...figures, cpu: perUnit(before, cpuSplit(db.name), figures.total), note });
  };
  // Bookings seated through the console while the day views run (the loaded year is in the past,
  // where nothing can be booked any more): each change forgets its day's cached sheet, so the views
  // read those days again from the reservation service.
  const seatWhileViewing = async () => {
    const waiting: { r: number; id: string }[] = [];
    for (let r = 0; r < RESTAURANTS && waiting.length < knobs.BENCH_HTTP_S * CHURN_PER_S; r++) {
      for (const date of BUSY_DATES) {
        const { body } = await sessionFor(r).call('day', {
          params: { businessId: benchBusiness(r).id },
          query: { date },
        });
        for (const booking of body.reservations as { id: string; status: string }[]) {
          if (booking.status === 'confirmed') waiting.push({ r, id: booking.id });
        }
      }
    }
    const until = Date.now() + knobs.BENCH_HTTP_S * 1000;
    let changed = 0;
    for (const { r, id } of waiting) {
      if (Date.now() >= until) break;
      const { status } = await sessionFor(r).call('setReservationStatus', {
        params: { businessId: benchBusiness(r).id, reservationId: id },
        body: { status: 'seated' },
      });
      if (status === 200) changed += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000 / CHURN_PER_S));
    }
    return changed;
  };
  // The busy week's first look (each day read from the stream into the reservation service's
  // cache) is what the day-sheet bench measures; here the days are looked at all day long.
  started = Date.now();
  const firstLook: number[] = [];
  for (let r = 0; r < RESTAURANTS; r++) {
    for (const date of BUSY_DATES) {
      const at = performance.now();
      const { status } = await sessionFor(r).call('day', {
        params: { businessId: benchBusiness(r).id },
        query: { date },
      });
      if (status !== 200) throw new Error(`day view of ${benchBusiness(r).id} ${date} answered ${status}`);
      firstLook.push(performance.now() - at);
    }
  }
  const first = spread(firstLook);
  out(
    `first look at the busy week (${firstLook.length} day views, one at a time) in ${seconds(started)}: p50 ${ms(first.p50)} ms, p99 ${ms(first.p99)} ms`,
  );
  await run('baseline GET /api/session', () => ['/api/session']);
  await run('day view GET …/day?date=', (s) =>
    restaurantsOf(s).flatMap((r) =>
      BUSY_DATES.map(
        (date) =>
          `${pathOf('/api/restaurants/:businessId/day', { businessId: benchBusiness(r).id })}?date=${date}`,
      ),
    ),
  );
  await run(
    `day view, ${CHURN_PER_S} seatings/s`,
    (s) =>
      restaurantsOf(s).flatMap((r) =>
        BUSY_DATES.map(
          (date) =>
            `${pathOf('/api/restaurants/:businessId/day', { businessId: benchBusiness(r).id })}?date=${date}`,
        ),
      ),
    seatWhileViewing,
  );
  await run('inbox GET …/conversations', (s) =>
    restaurantsOf(s).map((r) =>
      pathOf('/api/restaurants/:businessId/conversations', { businessId: benchBusiness(r).id }),
    ),
  );

  // --- Live: SSE connections spread over the restaurants, guests writing in an open loop.
  started = Date.now();
  const listeners = await Promise.all(
    Array.from({ length: knobs.BENCH_SSE }, (_, c) => {
      const r = c % RESTAURANTS;
      return LiveListener.open(consoleUrl, benchBusiness(r).id, sessionFor(r).cookie);
    }),
  );
  undo.push(async () => {
    for (const listener of listeners) listener.close();
  });
  out(`${listeners.length} live connections open in ${seconds(started)}`);
  const listenersOf = (r: number) => listeners.filter((l) => l.businessId === benchBusiness(r).id);

  // The floor under the same load: a plain NATS publish to a subscriber in this process.
  const ping = `${prefix}.bench.ping`;
  const natsRoundTrips: number[] = [];
  const subscription = nc.subscribe(ping, {
    callback: (_error, message) => {
      natsRoundTrips.push(performance.now() - Number(message.string()));
    },
  });

  const sends: Promise<Sent>[] = [];
  const total = knobs.BENCH_LIVE_RATE * knobs.BENCH_LIVE_S;
  out(`live: ${knobs.BENCH_LIVE_RATE} messages/s for ${knobs.BENCH_LIVE_S} s over ${guests.length} guests…`);
  const liveStart = Date.now();
  const liveCpu = cpuSplit(db.name);
  for (let k = 0; k < total; ) {
    const due = Math.min(total, Math.floor(((Date.now() - liveStart) / 1000) * knobs.BENCH_LIVE_RATE));
    for (; k < due; k++) {
      const guest = guests[k % guests.length] as Guest;
      const wamid = newWamid();
      const sentAt = Date.now();
      const phoneNumberId = benchBusiness(guest.restaurant).profile.phoneNumberId;
      sends.push(
        whatsapp
          .text(
            guest,
            TEXTS[(1 + Math.floor(k / guests.length)) % TEXTS.length] ?? 'Hi',
            wamid,
            phoneNumberId,
          )
          .then(
            () => ({ guest, wamid, sentAt, ok: true }),
            () => ({ guest, wamid, sentAt, ok: false }),
          ),
      );
    }
    nc.publish(ping, String(performance.now()));
    await sleep(10);
  }
  const sent = await Promise.all(sends);
  const liveCpuPerMessage = perUnit(liveCpu, cpuSplit(db.name), sent.length);
  const lastSent = Date.now();
  // An event counts for a message only before the same guest's next message was sent.
  const nextSentAt = new Map<Sent, number>();
  const previous = new Map<Guest, Sent>();
  for (const m of sent) {
    const before = previous.get(m.guest);
    if (before) nextSentAt.set(before, m.sentAt);
    previous.set(m.guest, m);
  }
  const arrivalAt = (listener: LiveListener, m: Sent) => {
    const first = listener.arrivalsSince(m.guest.conversationId ?? '', m.sentAt)[0];
    return first && first.arrivedAt < (nextSentAt.get(m) ?? Number.POSITIVE_INFINITY) ? first : undefined;
  };
  const complete = () =>
    sent.every(
      (m) =>
        !m.ok ||
        (whatsapp.repliesTo(m.wamid).length > 0 &&
          listenersOf(m.guest.restaurant).every((l) => arrivalAt(l, m))),
    );
  // Drain: until every connection of each message's restaurant saw it and its reply reached the
  // Graph API, or 10 s after the last POST.
  while (!complete() && Date.now() < lastSent + 10_000) await sleep(100);
  subscription.unsubscribe();

  const toEvent: number[] = [];
  const toStored: number[] = [];
  const storedToEvent: number[] = [];
  const toReply: number[] = [];
  let missed = 0;
  let missedDeliveries = 0;
  for (const m of sent.filter((s) => s.ok)) {
    let all = true;
    for (const listener of listenersOf(m.guest.restaurant)) {
      const arrival = arrivalAt(listener, m);
      if (!arrival) {
        all = false;
        missedDeliveries++;
        continue;
      }
      toEvent.push(arrival.arrivedAt - m.sentAt);
      toStored.push(arrival.storedAt - m.sentAt);
      storedToEvent.push(arrival.arrivedAt - arrival.storedAt);
    }
    if (!all) missed++;
    const reply = whatsapp.repliesTo(m.wamid)[0];
    if (reply) toReply.push(reply.at.getTime() - m.sentAt);
  }
  const failedPosts = sent.filter((s) => !s.ok).length;

  // --- The table.
  out(
    `\nconsole benchmark on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared with everything it runs; load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}`,
  );
  out(
    `knobs: ${Object.entries(knobs)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`,
  );
  out(
    `setup: ${appended.toLocaleString('en-US')} bookings appended in ${loadS.toFixed(1)} s; reservation consumers ${catchUp}; ${guests.length} conversations; first look at the busy week p50 ${ms(first.p50)} ms, p99 ${ms(first.p99)} ms`,
  );
  out(
    `\nHTTP, ${cookies.length} sessions, closed loop, ${knobs.BENCH_HTTP_S} s each (target p99 < ${TARGET_HTTP_P99_MS} ms for day view and inbox):`,
  );
  for (const line of table([
    ['', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'failed', ''],
    ...http.map((f) => [
      f.label,
      f.rps.toFixed(0),
      String(f.p50),
      String(f.p99),
      String(f.max),
      String(f.total),
      String(f.failed),
      f.note,
    ]),
  ]))
    out(`  ${line}`);
  const live = spread(toEvent);
  out(
    `\nlive, ${listeners.length} SSE connections, ${knobs.BENCH_LIVE_RATE} msg/s offered for ${knobs.BENCH_LIVE_S} s (target p99 < ${TARGET_LIVE_P99_MS} ms):`,
  );
  const row = (label: string, values: number[]) => {
    const s = spread(values);
    return [label, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), String(s.n)];
  };
  for (const line of table([
    ['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'n'],
    row('webhook POST → conversation event on a connection', toEvent),
    row('  webhook POST → stored on CONVERSATIONS', toStored),
    row('  stored → event on the connection (console)', storedToEvent),
    row('baseline: webhook POST → first reply at Graph API', toReply),
    row('floor: NATS publish → plain subscriber', natsRoundTrips),
  ]))
    out(`  ${line}`);
  out(
    `  messages ${sent.length} (non-200 webhooks ${failedPosts}), with no event on some connection of the restaurant ${missed} (${missedDeliveries} of ${toEvent.length + missedDeliveries} deliveries), with no reply ${sent.length - failedPosts - toReply.length}`,
  );
  out('\nCPU ms per request (live: per message, while sending), by process:');
  for (const f of http) out(`  ${f.label}: ${f.cpu}`);
  out(`  live: ${liveCpuPerMessage}`);
  const slow = http.filter((f) => !f.label.startsWith('baseline') && f.p99 >= TARGET_HTTP_P99_MS);
  const liveMet = live.p99 !== undefined && live.p99 < TARGET_LIVE_P99_MS && missed === 0;
  out(
    `\ntargets: HTTP p99 < ${TARGET_HTTP_P99_MS} ms ${slow.length === 0 ? 'met' : `not met (${slow.map((f) => f.label).join(', ')})`}; live p99 < ${TARGET_LIVE_P99_MS} ms with nothing missed ${liveMet ? 'met' : 'not met'}`,
  );
}

benchmark()
  .then(
    () => 0,
    (error: unknown) => {
      // Ctrl-C reaches the services too: what failed because they stopped is no news.
      if (interrupted) return 130;
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  });
