import { type ChildProcess, spawn } from 'node:child_process';
import { type CrashLoop, LogTail, NO_CRASHES, nextRestart, type RestartPolicy } from '@reserveit/localstack';

export interface ServiceProcessSpec {
  name: string;
  /** Absolute path of the service's dist/main.js. */
  main: string;
  cwd: string;
  env: Record<string, string>;
  /** Node flags before the script, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: string[];
  /** GET it until it answers 2xx. */
  readyUrl: string;
  readyTimeoutMs: number;
  onOutput?: (name: string, line: string) => void;
  /**
   * Start the process again when it exits without kill() (a crash, `kill -9` from outside), after
   * the crash-loop delay, as the local runner does (libs/localstack, supervised-process.ts).
   */
  restartPolicy?: RestartPolicy;
}

// Children must not outlive the test worker or benchmark that started them, even when it exits
// without stop() (a failed hook, an uncaught error): Node does not kill its children.
const alive = new Set<ChildProcess>();
let exitHooked = false;
function track(child: ChildProcess): void {
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const c of alive) c.kill('SIGKILL');
  });
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** GETs `url`: true when it answers 2xx within 2 s. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** One service as a real OS process (`node services/<name>/dist/main.js`), restartable with the same env. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private readonly tail = new LogTail(60);
  private loop: CrashLoop = NO_CRASHES;
  private startedAt = 0;
  private pendingRestart: NodeJS.Timeout | undefined;
  /** Set by kill(): the exit that follows was asked for. */
  private stopping = false;

  constructor(readonly spec: ServiceProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && !exited(this.child);
  }

  /** How often it was started again after exiting on its own. */
  get restarts(): number {
    return this.loop.restarts;
  }

  /** The last lines the process wrote (stdout and stderr, across restarts). */
  output(): string {
    return this.tail.text();
  }

  /** Spawns the process and resolves once its /readyz answers 2xx; rejects with its output tail. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    this.stopping = false;
    this.startedAt = Date.now();
    const child = spawn(process.execPath, [...(this.spec.nodeArgs ?? []), this.spec.main], {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    track(child);
    const forward = (chunk: Buffer) => {
      for (const line of this.tail.push(chunk)) this.spec.onOutput?.(this.spec.name, line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.once('exit', () => {
      if (this.spec.restartPolicy && !this.stopping && child === this.child) this.crashed(child);
    });
    const deadline = Date.now() + this.spec.readyTimeoutMs;
    for (;;) {
      if (exited(child)) {
        throw new Error(
          `${this.spec.name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready\n${this.describe()}`,
        );
      }
      if (await answers(this.spec.readyUrl)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.spec.name}: ${this.spec.readyUrl} did not answer 2xx within ${this.spec.readyTimeoutMs} ms\n${this.describe()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends `signal` and waits until the process is gone (SIGKILL after `graceMs`). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 15_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.pendingRestart);
    const child = this.child;
    if (!child || exited(child)) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  private crashed(child: ChildProcess): void {
    const policy = this.spec.restartPolicy;
    if (!policy) return;
    const next = nextRestart(this.loop, Date.now() - this.startedAt, policy);
    this.loop = next.loop;
    this.tail.push(
      `[e2e] ${this.spec.name} exited (code ${child.exitCode}, signal ${child.signalCode}); restart ${next.restart} in ${next.delayMs} ms\n`,
    );
    this.pendingRestart = setTimeout(() => {
      // A start that fails (it died again before it was ready) schedules the next one by its exit.
      this.start().catch(() => undefined);
    }, next.delayMs);
  }

  describe(): string {
    return `--- last lines of ${this.spec.name} ---\n${this.output() || '(no output)'}`;
  }
}
