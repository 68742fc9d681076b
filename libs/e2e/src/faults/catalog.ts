import { type RunningSystem, SERVICE_NAMES, type ServiceName } from '../system.js';
import type { FaultInfra } from './fault-infra.js';

/** What a fault may act on. */
export interface FaultContext {
  system: RunningSystem;
  infra: FaultInfra;
  /** Share (0–1) of the webhooks from now on that are duplicated (load.ts). */
  setDuplicateShare(share: number): void;
  /** Resolves once the service runs in a process other than `oldPid` and answers /readyz. */
  restarted(name: ServiceName, oldPid: number | undefined): Promise<void>;
}

export interface FaultOutcome {
  /** When the stopped sender was started again: the backlog drains from here. */
  senderStartedAt?: number;
}

export interface Fault {
  name: string;
  /** What it does, in one line (README and `bench:faults --help`). */
  what: string;
  /** The service the fault kills, which supervision is expected to start again once. */
  kills?: ServiceName;
  /** Runs the fault; resolves once its action is over (restarted, continued, back up). */
  inject(ctx: FaultContext): Promise<FaultOutcome>;
}

/** Postgres and nats-server stay down this long, about what a pod reschedule or a failover takes. */
export const INFRA_DOWN_MS = 3_000;
export const PAUSE_MS = 10_000;
export const DUPLICATE_SHARE = 0.3;
/** The sender stays stopped this long while the load goes on, so the replies queue up. */
export const BACKLOG_DOWN_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function kill9(name: ServiceName): Fault {
  return {
    name: `kill-${name}`,
    what: `kill -9 of ${name}; started again after 1 s, as the local runner does`,
    kills: name,
    inject: async ({ system, restarted }) => {
      const pid = system.pid(name);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await restarted(name, pid);
      return {};
    },
  };
}

function pause(name: ServiceName): Fault {
  return {
    name: `stop-${name}`,
    what: `SIGSTOP of ${name} for ${PAUSE_MS / 1000} s, then SIGCONT`,
    inject: async ({ system }) => {
      const pid = system.pid(name);
      if (pid === undefined) throw new Error(`${name} is not running`);
      process.kill(pid, 'SIGSTOP');
      try {
        await sleep(PAUSE_MS);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      return {};
    },
  };
}

/** Every fault of the matrix (libs/e2e/README.md, Fault suite), in the order `bench:faults` runs them. */
export const FAULTS: readonly Fault[] = [
  ...SERVICE_NAMES.map(kill9),
  {
    name: 'nats-restart',
    what: `kill -9 of nats-server, started again on the same store after ${INFRA_DOWN_MS / 1000} s`,
    inject: async ({ infra }) => {
      await infra.restartNats(INFRA_DOWN_MS);
      return {};
    },
  },
  ...(['fast', 'immediate'] as const).map(
    (mode): Fault => ({
      name: `postgres-${mode}`,
      what: `Postgres stopped as pg_ctl stop -m ${mode} does, started again after ${INFRA_DOWN_MS / 1000} s`,
      inject: async ({ infra }) => {
        await infra.restartPostgres(mode, INFRA_DOWN_MS);
        return {};
      },
    }),
  ),
  ...SERVICE_NAMES.map(pause),
  {
    name: 'duplicates',
    what: `${DUPLICATE_SHARE * 100} % of the webhooks from then on posted twice at once and again 5 s later`,
    inject: async ({ setDuplicateShare }) => {
      setDuplicateShare(DUPLICATE_SHARE);
      return {};
    },
  },
  {
    name: 'backlog',
    what: `sender stopped (SIGTERM) for ${BACKLOG_DOWN_MS / 1000} s under load, then started: the backlog drains`,
    inject: async ({ system }) => {
      await system.kill('sender', 'SIGTERM');
      await sleep(BACKLOG_DOWN_MS);
      const senderStartedAt = Date.now();
      await system.restart('sender');
      return { senderStartedAt };
    },
  },
];

/** The faults named (comma-separated names, as in FAULTS=kill-sender,nats-restart); all when empty. */
export function selectFaults(names: string): Fault[] {
  const wanted = names
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (wanted.length === 0) return [...FAULTS];
  const unknown = wanted.filter((name) => !FAULTS.some((fault) => fault.name === name));
  if (unknown.length > 0)
    throw new Error(`unknown fault ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`);
  return wanted.map((name) => FAULTS.find((fault) => fault.name === name) as Fault);
}
