/**
 * tsx services/reservation/bench/day-sheet.bench.ts — how long GetDaySheet takes on a stream that
 * holds a year of bookings for 50 restaurants (BENCH_BOOKINGS, 500,000 by default), over gRPC:
 * the first call for a day (cold: its subject read from the stream) and a repeat (warm: the cached
 * day caught up with one `next_by_subj` get). A private nats-server unless NATS_URL is set; a fresh
 * database on DATABASE_URL (default 127.0.0.1:5432), dropped at the end.
 */
import { cpus } from 'node:os';
import { credentials } from '@grpc/grpc-js';
import { reservationEnv } from '@reserveit/config';
import { unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions } from '@reserveit/testkit';
import { addDays } from '@reserveit/time';
import { startReservation } from '../src/server.js';
import { benchInfra } from './bench-infra.js';
import { appendYearOfBookings, benchBusiness, YEAR_DAYS, YEAR_FIRST_DAY } from './year-of-bookings.js';

const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 500_000);
const BUSINESSES = 50;
const SAMPLES = 200;
const out = (line: string) => process.stdout.write(`${line}\n`);

function percentile(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
}

async function benchmark(): Promise<void> {
  const infra = await benchInfra();
  const { natsUrl, dbUrl, nc } = infra;
  const config = reservationEnv.parse({
    NATS_URL: natsUrl,
    NATS_PREFIX: infra.prefix,
    DATABASE_URL: dbUrl,
    RESERVATION_HOST: '127.0.0.1',
    RESERVATION_GRPC_PORT: '0',
    RESERVATION_HTTP_PORT: '0',
    RESERVATION_PROJECTOR: 'false',
    LOG_LEVEL: 'silent',
  });
  const service = await startReservation(config, createLogger('bench-day-sheet', 'silent'), {
    now: () => Date.parse(`${YEAR_FIRST_DAY}T00:00:00Z`),
  });
  // The day sheet is the console's: it reads as the console for every bench restaurant.
  const restaurants = Array.from({ length: BUSINESSES }, (_, b) => benchBusiness(b).id);
  const client = new ReservationServiceClient(
    service.grpcAddress,
    credentials.createInsecure(),
    devCallerOptions({ restaurants }),
  );
  const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
  const js = jetstream(nc);
  const t = service.topology;
  try {
    out(
      `day sheet benchmark: ${BOOKINGS.toLocaleString('en-US')} bookings, ${BUSINESSES} businesses × ${YEAR_DAYS} days`,
    );
    out(`NATS ${natsUrl}${infra.privateNats ? ' (private)' : ''}, ${cpus().length} CPUs`);
    for (let b = 0; b < BUSINESSES; b++) {
      const business = benchBusiness(b);
      await service.app.businesses.register(business.id, business.profile, business.hours, []);
    }
    const started = performance.now();
    const { perDay } = await appendYearOfBookings(js, t, { bookings: BOOKINGS, businesses: BUSINESSES });
    const info = await (await jetstreamManager(nc)).streams.info(t.streams.reservations.name);
    out(
      `filled in ${((performance.now() - started) / 1000).toFixed(1)} s: ${info.state.messages.toLocaleString('en-US')} messages, ${perDay} bookings a day\n`,
    );

    const sheet = (businessId: string, date: string) =>
      unaryCall(client, client.getDaySheet, { businessId, date, includeCancelled: false }, 5_000);
    const cold: number[] = [];
    const warm: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const businessId = `bench-${(s * 7) % BUSINESSES}`;
      const date = addDays(YEAR_FIRST_DAY, (s * 37) % YEAR_DAYS);
      for (const samples of [cold, warm]) {
        const at = performance.now();
        const answer = await sheet(businessId, date);
        samples.push(performance.now() - at);
        if (answer.reservations.length !== perDay)
          throw new Error(`${businessId} ${date}: ${answer.reservations.length} bookings`);
      }
    }
    for (const [label, samples] of [
      ['cold (first read of the day)', cold],
      ['warm (cached day, caught up)', warm],
    ] as const) {
      out(
        `${label.padEnd(32)} p50 ${percentile(samples, 50)} ms  p95 ${percentile(samples, 95)} ms  max ${percentile(samples, 100)} ms`,
      );
    }
  } finally {
    client.close();
    await service.close(1_000);
    await (await jetstreamManager(nc)).streams.delete(t.streams.reservations.name).catch(() => undefined);
    await (await jetstreamManager(nc)).streams.delete(t.streams.deadLetters.name).catch(() => undefined);
    await infra.release();
  }
}

benchmark().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
