import { type ChildProcess, spawn } from 'node:child_process';
import { trackChild, untrackChild } from './child-registry.js';
import { type CrashLoop, formatDelay, NO_CRASHES, nextRestart, type RestartPolicy } from './crash-loop.js';
import { LogTail } from './log-tail.js';

export interface SupervisedProcessOptions {
  name: string;
  /** Run with `bash -c` in its own process group. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  policy: RestartPolicy;
  /** Grace period after SIGTERM before SIGKILL. */
  stopTimeoutMs: number;
  onOutput: (line: string) => void;
  onEvent: (message: string) => void;
  /** Resolves when a restarted process is ready; `isDead` says when it died meanwhile. */
  waitReady: (isDead: () => string | undefined) => Promise<void>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole process group, so `bash -c "…"` takes what it started with it.
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the process group, then wait until the whole group is gone: a process may exit
 * while what it started is still shutting down (the postgres server under
 * `reserveit-stack postgres`), and stopping its dependencies under it, or starting it again on
 * the same port and data directory, would break that.
 */
async function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (exited(child) && !groupAlive(child)) {
    untrackChild(child);
    return;
  }
  const gone = exited(child)
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  await Promise.race([gone, new Promise((r) => setTimeout(r, timeoutMs))]);
  while (groupAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(child) || !exited(child)) {
    signalGroup(child, 'SIGKILL');
    await gone;
  }
  untrackChild(child);
}

const deathOf = (name: string, child: ChildProcess) => (): string | undefined =>
  exited(child)
    ? `process "${name}" exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`
    : undefined;

/**
 * One process of the stack. Once `supervise()` was called (it was ready once), an exit nobody
 * asked for starts it again with the same command and environment, after the crash-loop delay;
 * `stop()` ends it and any restart still to come.
 */
export class SupervisedProcess {
  /** The last lines of every run of the process, for error messages. */
  readonly logs = new LogTail(40);
  private child: ChildProcess;
  private spawnedAt = 0;
  private loop: CrashLoop = NO_CRASHES;
  private supervising = false;
  private stopping = false;
  private pending: { timer: NodeJS.Timeout; cleanup: Promise<void> } | undefined;

  constructor(private readonly opts: SupervisedProcessOptions) {
    this.child = this.spawn();
  }

  get name(): string {
    return this.opts.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get restarts(): number {
    return this.loop.restarts;
  }

  /** Why the process is gone, or undefined while it runs (its first readiness wait stops on it). */
  isDead(): string | undefined {
    return deathOf(this.opts.name, this.child)();
  }

  supervise(): void {
    this.supervising = true;
    if (exited(this.child)) this.crashed(this.child);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pending) {
      clearTimeout(this.pending.timer);
      await this.pending.cleanup;
    }
    await stopChild(this.child, this.opts.stopTimeoutMs);
  }

  private spawn(): ChildProcess {
    const child = spawn('bash', ['-c', this.opts.command], {
      cwd: this.opts.cwd,
      env: this.opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    trackChild(child, true);
    this.spawnedAt = Date.now();
    const forward = (chunk: Buffer) => {
      for (const line of this.logs.push(chunk)) this.opts.onOutput(line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', () => {
      if (this.supervising && !this.stopping && child === this.child) this.crashed(child);
    });
    return child;
  }

  private crashed(child: ChildProcess): void {
    const { name, policy, stopTimeoutMs, onEvent } = this.opts;
    const next = nextRestart(this.loop, Date.now() - this.spawnedAt, policy);
    this.loop = next.loop;
    const how = child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
    onEvent(
      `${name} exited unexpectedly (${how}); restarting in ${formatDelay(next.delayMs)} (restart ${next.restart})`,
    );
    // What it started may outlive it (kill -9 of `reserveit-stack postgres` leaves postgres).
    const cleanup = stopChild(child, stopTimeoutMs);
    const timer = setTimeout(() => void this.restart(cleanup, next.restart), next.delayMs);
    this.pending = { timer, cleanup };
  }

  private async restart(cleanup: Promise<void>, restart: number): Promise<void> {
    await cleanup;
    if (this.stopping) return;
    this.pending = undefined;
    const child = this.spawn();
    this.child = child;
    const { name, onEvent } = this.opts;
    onEvent(`${name} started again (restart ${restart}, pid ${child.pid})`);
    try {
      await this.opts.waitReady(deathOf(name, child));
      if (!this.stopping && child === this.child) onEvent(`${name} is ready again`);
    } catch (err) {
      // Died meanwhile: its exit already scheduled the next restart.
      if (!this.stopping && !exited(child))
        onEvent(`${name} is not ready after restart ${restart}: ${err instanceof Error ? err.message : err}`);
    }
  }
}
