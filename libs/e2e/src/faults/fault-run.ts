import { DEFAULT_RESTART_POLICY } from '@reserveit/localstack';
import { useDatabase, useNats } from '@reserveit/testkit';
import { FakeWhatsApp } from '../fake-whatsapp.js';
import { FAST_RECOVERY_ENV } from '../fast-recovery.js';
import { answers } from '../service-process.js';
import { type RunningSystem, SERVICE_NAMES, type ServiceName, startSystem } from '../system.js';
import { bookingDay } from './booking-day.js';
import type { Fault } from './catalog.js';
import { type ClaimSample, ClaimTimer, type ClaimTimes, claimTimes } from './claim-time.js';
import type { FaultInfra } from './fault-infra.js';
import {
  type DeliveryCounts,
  type Drain,
  deliveryCounts,
  drain,
  type MessageOutcome,
  type Recovery,
  recovery,
} from './fault-report.js';
import { startLoad } from './load.js';
import { deliverLikeMeta } from './meta-delivery.js';

export interface FaultRunOptions {
  infra: FaultInfra;
  fault: Fault;
  messages: number;
  ratePerSecond: number;
  /** From the load's start: webhooks are given up and replies no longer awaited past it. Default: load + 90 s. */
  deadlineMs?: number;
  /** After the last reply, how long to keep watching for late duplicates. Default 5 s. */
  settleMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface FaultRunReport extends DeliveryCounts, Recovery {
  fault: string;
  /** How long the fault's action took: down and back up, paused and continued. */
  faultMs: number;
  /** Services started again after exiting on their own, other than the one the fault killed. */
  crashes: string[];
  /** Services whose /readyz did not answer 200 at the end. */
  notReady: ServiceName[];
  /** The backlog fault's drain, with the claim on the outbox meanwhile and on the empty one before the load. */
  drain?: Drain;
  claims?: { empty: ClaimTimes; draining: ClaimTimes };
  /** Output tails of the services, to print when the run failed. */
  describe: string;
}

const POST_TIMEOUT_MS = 5_000;
const EMPTY_CLAIMS = 20;
const CLAIM_EVERY_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

async function notReady(system: RunningSystem, timeoutMs: number): Promise<ServiceName[]> {
  const ready = await Promise.all(
    SERVICE_NAMES.map((name) => waitFor(() => answers(`${system.http[name]}/readyz`), timeoutMs)),
  );
  return SERVICE_NAMES.filter((_, i) => !ready[i]);
}

/**
 * One fault run: the five services as processes on the infra's NATS (own prefix) and a fresh
 * database of its Postgres, supervised as the local runner supervises them; N new guests writing
 * at R/s through Meta-style redelivery; the fault a third of the way into the load; then the
 * replies counted per inbound message once every accepted message was answered (or the deadline).
 */
export async function runFault(options: FaultRunOptions): Promise<FaultRunReport> {
  const { infra, fault, messages, ratePerSecond } = options;
  const log = options.log ?? (() => undefined);
  const loadMs = (messages * 1000) / ratePerSecond;
  const deadline = AbortSignal.timeout(options.deadlineMs ?? loadMs + 90_000);
  const db = await useDatabase(infra.adminUrl);
  // Its streams go at the end: later runs on the same nats-server recover less store after a restart.
  const nats = await useNats(infra.natsUrl, { prefix: infra.prefix, credentials: infra.natsTest });
  const whatsapp = await FakeWhatsApp.start({
    echoStatuses: true,
    deliverEcho: (attempt) => deliverLikeMeta(attempt, { signal: deadline }),
  });
  let system: RunningSystem | undefined;
  const claimTimer = fault.name === 'backlog' ? new ClaimTimer(db.url) : undefined;
  try {
    system = await startSystem({
      natsUrl: infra.natsUrl,
      prefix: nats.prefix,
      databaseUrl: db.url,
      graphBaseUrl: whatsapp.graphBaseUrl,
      restartPolicy: DEFAULT_RESTART_POLICY,
      // A killed process's work comes back within seconds, as in libs/e2e/test/crash.test.ts.
      serviceEnv: FAST_RECOVERY_ENV,
    });
    const running = system;
    whatsapp.connect(running);

    const emptyClaims: ClaimSample[] = [];
    if (claimTimer) for (let i = 0; i < EMPTY_CLAIMS; i++) emptyClaims.push(await claimTimer.sample());

    let duplicateShare = 0;
    const load = startLoad({
      whatsapp,
      messages,
      ratePerSecond,
      signal: deadline,
      postTimeoutMs: POST_TIMEOUT_MS,
      duplicateShare: () => duplicateShare,
      bookingDay: bookingDay(),
    });
    const answered = () =>
      load.messages.every(
        (m) => m.acceptedAt === undefined || whatsapp.repliesTo(m.wamid).length >= m.expectedReplies,
      );
    await sleep(loadMs / 3);
    log(`${fault.name}: ${fault.what}`);
    const startedAt = Date.now();
    // From the fault on until every reply went out; the ones taken while the backlog drained are kept.
    const claimSamples: ClaimSample[] = [];
    let caughtUp = false;
    const sampling = (async () => {
      while (claimTimer && !caughtUp) {
        claimSamples.push(await claimTimer.sample());
        await sleep(CLAIM_EVERY_MS);
      }
    })();
    const outcome = await fault.inject({
      system: running,
      infra,
      setDuplicateShare: (share) => {
        duplicateShare = share;
      },
      restarted: async (name, oldPid) => {
        const back = await waitFor(
          async () => running.pid(name) !== oldPid && (await answers(`${running.http[name]}/readyz`)),
          60_000,
        );
        if (!back) throw new Error(`${name} was not started again within 60 s`);
      },
    });
    const endedAt = Date.now();
    log(`${fault.name}: over after ${endedAt - startedAt} ms`);

    await load.done;
    await waitFor(() => deadline.aborted || answered(), Number.POSITIVE_INFINITY);
    caughtUp = true;
    await sampling;
    await whatsapp.settleEchoes();
    await sleep(options.settleMs ?? 5_000);

    const outcomes: MessageOutcome[] = load.messages.map((m) => ({
      postedAt: m.postedAt,
      acceptedAt: m.acceptedAt,
      outcomes: m.outcomes,
      replyTimes: whatsapp.repliesTo(m.wamid).map((reply) => reply.at.getTime()),
      expectedReplies: m.expectedReplies,
      copies: m.copies,
    }));
    const backAt = outcome.senderStartedAt;
    const drained = backAt === undefined ? undefined : drain(outcomes, backAt);
    const draining = (sample: ClaimSample) =>
      backAt !== undefined &&
      drained !== undefined &&
      sample.at >= backAt + drained.startupMs &&
      sample.at <= backAt + drained.startupMs + drained.seconds * 1000;
    return {
      fault: fault.name,
      ...deliveryCounts(outcomes),
      faultMs: endedAt - startedAt,
      ...recovery(outcomes, startedAt),
      crashes: SERVICE_NAMES.flatMap((name) => {
        const unexpected = running.restarts(name) - (fault.kills === name ? 1 : 0);
        return unexpected > 0 ? [`${name}×${unexpected}`] : [];
      }),
      notReady: await notReady(running, 30_000),
      ...(drained ? { drain: drained } : {}),
      ...(claimTimer
        ? { claims: { empty: claimTimes(emptyClaims), draining: claimTimes(claimSamples.filter(draining)) } }
        : {}),
      describe: running.describe(),
    };
  } finally {
    await claimTimer?.close();
    await system?.stop();
    await whatsapp.close();
    await nats.cleanup();
    await db.drop();
  }
}
