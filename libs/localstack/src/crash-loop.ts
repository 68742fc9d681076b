import { ExponentialBackoff, type IBackoff, noJitterGenerator } from 'cockatiel';

/**
 * When the dev runner restarts a process that exited on its own, the way Kubernetes restarts a
 * crashed container (CrashLoopBackOff): the delay doubles from one crash to the next up to a cap,
 * and starts over once the process stayed up long enough
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts).
 * No jitter: a developer reads the delay in the runner's output, and one machine's processes
 * do not stampede a shared server.
 */
export interface RestartPolicy {
  /** Delay before the first restart (and the first after a reset). */
  initialDelayMs: number;
  /** The delay never grows past this. */
  maxDelayMs: number;
  /** A process that ran at least this long before exiting starts the schedule over. */
  resetAfterMs: number;
}

/** 1 s, 2 s, 4 s … 30 s; forgotten after a minute up (Kubernetes: 10 s doubling to 5 min, reset after 10 min). */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  resetAfterMs: 60_000,
};

export interface CrashLoop {
  /** Restarts so far, never reset (like a pod's RESTARTS column). */
  restarts: number;
  /** The delay used for the last restart; undefined before the first one and after a reset. */
  backoff: IBackoff<unknown> | undefined;
}

export const NO_CRASHES: CrashLoop = { restarts: 0, backoff: undefined };

export interface NextRestart {
  delayMs: number;
  /** 1 for the first restart. */
  restart: number;
  loop: CrashLoop;
}

/** After a process exited unexpectedly having run `uptimeMs`: how long to wait before restart number n. */
export function nextRestart(loop: CrashLoop, uptimeMs: number, policy: RestartPolicy): NextRestart {
  const backoff =
    loop.backoff === undefined || uptimeMs >= policy.resetAfterMs
      ? new ExponentialBackoff({
          generator: noJitterGenerator,
          initialDelay: policy.initialDelayMs,
          maxDelay: policy.maxDelayMs,
        }).next()
      : loop.backoff.next(undefined);
  const restart = loop.restarts + 1;
  return { delayMs: backoff.duration, restart, loop: { restarts: restart, backoff } };
}

/** `2 s` for whole seconds, else `250 ms`. */
export function formatDelay(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
