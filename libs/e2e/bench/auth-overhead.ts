/**
 * What closing the doors costs: bench:e2e and bench:reservation with authentication on (caller
 * tokens verified, a NATS user per service, gRPC and NATS over TLS, as production runs) and off
 * (tokens read unverified, no NATS users, plaintext), alternately (off/on, then on/off, …) so drift
 * of a shared machine falls on both sides.
 * Reports CPU per answered message (five services + nats-server) and per booking (the reservation
 * processes), the median of each side, and the overhead against the target of at most 10 %.
 *
 *   pnpm build && pnpm bench:auth
 *   BENCH_AUTH_PAIRS=5 pnpm bench:auth
 *
 * BENCH_RATE (default here 150 msg/s, below saturation so CPU per message is not queueing) and
 * the other BENCH_* settings pass through to both benches.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@reserveit/localstack';
import { z } from 'zod';
import { runSummarySchema } from './run-summary.js';

const PAIRS = Number(process.env.BENCH_AUTH_PAIRS ?? 3);
if (!Number.isInteger(PAIRS) || PAIRS < 1) {
  process.stderr.write(
    `BENCH_AUTH_PAIRS must be a whole number ≥ 1, not "${process.env.BENCH_AUTH_PAIRS}".\n`,
  );
  process.exit(2);
}
const TARGET_OVERHEAD = 0.1;
const root = findRepoRoot();
const benches = {
  e2e: join(root, 'libs/e2e/bench/e2e.bench.ts'),
  reservation: join(root, 'services/reservation/bench/reservation.bench.ts'),
};
const bookingRunSchema = z.object({
  auth: z.enum(['on', 'off']),
  cpuPerBooking: z.number(),
  bookingsPerSecond: z.number(),
});
const dir = mkdtempSync(join(tmpdir(), 'bench-auth-'));
const out = (line: string) => process.stdout.write(`${line}\n`);

function run(bench: keyof typeof benches, auth: 'on' | 'off', summaryFile: string): void {
  out(`\n=== bench:${bench}, caller auth ${auth} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', benches[bench]], {
    stdio: 'inherit',
    cwd: root,
    env: {
      BENCH_RATE: '150',
      BENCH_DURATION_S: bench === 'e2e' ? '10' : '6',
      BENCH_CLOSED_S: '5',
      // The pairs compared so far ran repeat guests; one mode keeps one summary line per run.
      BENCH_GUEST_MODES: 'repeat',
      ...process.env,
      BENCH_AUTH: auth,
      BENCH_SUMMARY_FILE: summaryFile,
    },
  });
  if (result.status !== 0) {
    process.stderr.write(`bench:${bench} (auth ${auth}) failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(1);
  }
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** `judged`: a cost the 10 % target applies to; otherwise the change is only shown. */
function compare(
  label: string,
  unit: string,
  runs: { auth: 'on' | 'off'; value: number }[],
  judged = true,
): void {
  const side = (auth: 'on' | 'off') => runs.filter((r) => r.auth === auth).map((r) => r.value);
  const [on, off] = [median(side('on')), median(side('off'))];
  const overhead = off > 0 ? (on - off) / off : Number.NaN;
  out(`\n${label} (${unit}), run by run in the order they ran:`);
  out(`  ${runs.map((r) => `${r.auth} ${r.value.toFixed(3)}`).join('   ')}`);
  out(
    `  median off ${off.toFixed(3)}, on ${on.toFixed(3)}: ${(overhead * 100).toFixed(1)} % with auth on${
      judged
        ? `; target ≤ +${TARGET_OVERHEAD * 100} %: ${overhead <= TARGET_OVERHEAD ? 'met' : 'not met'}`
        : ''
    }`,
  );
}

try {
  const e2eFile = join(dir, 'e2e.jsonl');
  const reservationFile = join(dir, 'reservation.jsonl');
  for (let pair = 0; pair < PAIRS; pair++) {
    const order: ('on' | 'off')[] = pair % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const auth of order) run('e2e', auth, e2eFile);
    for (const auth of order) run('reservation', auth, reservationFile);
  }
  const e2eRuns = lines(e2eFile).map((line) => runSummarySchema.parse(JSON.parse(line)));
  const bookingRuns = lines(reservationFile).map((line) => bookingRunSchema.parse(JSON.parse(line)));
  out(`\n=== caller authentication, ${PAIRS} pair(s) of runs ===`);
  compare(
    'bench:e2e CPU per answered message, five services + nats-server',
    'ms',
    e2eRuns.map((r) => ({ auth: r.auth ?? 'on', value: r.systemCpuPerMessage ?? Number.NaN })),
  );
  compare(
    'bench:e2e machine CPU per answered message (everything on the machine)',
    'ms',
    e2eRuns.map((r) => ({ auth: r.auth ?? 'on', value: r.cpuPerMessage ?? Number.NaN })),
  );
  compare(
    'bench:reservation CPU per booking, the reservation processes',
    'ms',
    bookingRuns.map((r) => ({ auth: r.auth, value: r.cpuPerBooking })),
  );
  compare(
    'bench:reservation bookings per second (32 callers; higher is better)',
    '/s',
    bookingRuns.map((r) => ({ auth: r.auth, value: r.bookingsPerSecond })),
    false,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
