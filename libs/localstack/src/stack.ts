import { type ChildProcess, spawn } from 'node:child_process';
import { trackChild, untrackChild } from './child-registry.js';
import { pathWithSbin } from './executable.js';
import { freePort, portInUse } from './free-port.js';
import { LogTail } from './log-tail.js';
import {
  interpolate,
  loadStackConfig,
  type StackProcess,
  type StackReadiness,
  startOrder,
} from './stack-config.js';
import { waitForTcp } from './tcp-wait.js';

export interface StackOptions {
  /** Path to stack.json. */
  configPath: string;
  /** Working directory for every command (the repo root). */
  rootDir: string;
  /** Base environment; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Only start these processes (and what they depend on). */
  only?: string[];
  /** Each output line of each process. */
  onOutput?: (name: string, line: string) => void;
  /** Progress and notices (port fallbacks, skips, unexpected exits). */
  onEvent?: (message: string) => void;
  /** Grace period before SIGKILL when stopping; default 15 s. */
  stopTimeoutMs?: number;
}

export interface StackProcessState {
  name: string;
  /** `external`: skipped because its skipWhenEnv variable points at an existing service. */
  status: 'started' | 'external';
  pid?: number;
  /** Links with `${VAR}` resolved. */
  links: { url: string; name?: string }[];
  /** Variables it provides (exports, or its skipWhenEnv variable when external). */
  provides: Record<string, string>;
}

export interface RunningStack {
  /** The environment the processes were started with (base env + defaults + ports + exports). */
  env: Record<string, string>;
  processes: StackProcessState[];
  /** `webhookUrl` from stack.json, resolved. */
  webhookUrl?: string;
  /** Stops every started process in reverse start order. */
  stop(): Promise<void>;
}

interface Started {
  name: string;
  child: ChildProcess;
  logs: LogTail;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole process group, so `bash -c "pnpm ... start"` takes node with it.
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
 * SIGTERM to the process group, then wait until the whole group is gone: `pnpm start` exits on
 * the signal at once while the service under it is still shutting down (draining NATS), and
 * stopping its dependencies under it would break that shutdown.
 */
async function stopChild(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (exited(child) && !groupAlive(child)) return;
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

async function probeHttp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitReady(
  proc: StackProcess,
  readiness: StackReadiness | undefined,
  env: Record<string, string>,
  started: Started,
): Promise<void> {
  const where = `process "${proc.name}" readiness`;
  const isDead = () =>
    exited(started.child)
      ? `process "${proc.name}" exited (code ${started.child.exitCode}, signal ${started.child.signalCode}) before it was ready`
      : undefined;
  if (!readiness) return;
  if ('tcp' in readiness) {
    const port = Number(
      typeof readiness.tcp === 'number' ? readiness.tcp : interpolate(readiness.tcp, env, where),
    );
    if (!Number.isInteger(port))
      throw new Error(`${where}: tcp port ${String(readiness.tcp)} is not a number`);
    await waitForTcp({ port, timeoutMs: proc.readinessTimeoutMs, isDead }).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (tcp ${port})`);
    });
    return;
  }
  const url = interpolate(readiness.http, env, where);
  const deadline = Date.now() + proc.readinessTimeoutMs;
  for (;;) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    if (await probeHttp(url)) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 2xx within ${proc.readinessTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function withDeps(all: StackProcess[], only: string[] | undefined): Set<string> {
  const byName = new Map(all.map((p) => [p.name, p]));
  const wanted = new Set<string>();
  const add = (name: string): void => {
    const p = byName.get(name);
    if (!p) throw new Error(`unknown process "${name}"`);
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const d of p.deps) add(d);
  };
  for (const name of only ?? all.map((p) => p.name)) add(name);
  return wanted;
}

/**
 * Starts the processes of a stack.json in dependency order, each once the previous is ready.
 * On any failure it stops what it started and throws with the failing process's last log lines.
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const config = loadStackConfig(opts.configPath);
  const onEvent = opts.onEvent ?? (() => undefined);
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env)) if (v !== undefined) env[k] = v;
  env.PATH = pathWithSbin(env.PATH);
  for (const [k, v] of Object.entries(config.env)) if (env[k] === undefined) env[k] = v;

  const wanted = withDeps(config.processes, opts.only);
  const order = startOrder(config.processes).filter((p) => wanted.has(p.name));
  const started: Started[] = [];
  const states: StackProcessState[] = [];
  let stopping = false;

  const stop = async (): Promise<void> => {
    stopping = true;
    for (const s of [...started].reverse()) {
      onEvent(`stopping ${s.name}`);
      await stopChild(s.child, stopTimeoutMs);
    }
    started.length = 0;
  };

  try {
    for (const proc of order) {
      const links = (): StackProcessState['links'] =>
        proc.links.map((l) =>
          typeof l === 'string'
            ? { url: interpolate(l, env, `process "${proc.name}" link`) }
            : { url: interpolate(l.url, env, `process "${proc.name}" link`), name: l.name },
        );
      const skipValue = proc.skipWhenEnv ? env[proc.skipWhenEnv] : undefined;
      if (proc.skipWhenEnv && skipValue) {
        onEvent(`${proc.name}: not started, ${proc.skipWhenEnv} is set`);
        states.push({
          name: proc.name,
          status: 'external',
          links: [],
          provides: { [proc.skipWhenEnv]: skipValue },
        });
        continue;
      }
      if (proc.port) {
        const explicit = env[proc.port.env];
        let port = explicit ? Number(explicit) : proc.port.default;
        if (!Number.isInteger(port)) throw new Error(`${proc.port.env}=${explicit} is not a port number`);
        if (!explicit && (await portInUse(port))) {
          const fallback = await freePort();
          onEvent(
            `${proc.name}: port ${port} is busy, using ${fallback} instead (${proc.port.env}=${fallback})`,
          );
          port = fallback;
        }
        env[proc.port.env] = String(port);
      }
      const procEnv: Record<string, string> = { ...env };
      for (const [k, v] of Object.entries(proc.env))
        procEnv[k] = interpolate(v, env, `process "${proc.name}" env ${k}`);
      const provides: Record<string, string> = {};
      for (const [k, v] of Object.entries(proc.exports)) {
        provides[k] = interpolate(v, procEnv, `process "${proc.name}" export ${k}`);
      }

      onEvent(`starting ${proc.name}: ${proc.command}`);
      const child = spawn('bash', ['-c', proc.command], {
        cwd: opts.rootDir,
        env: procEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      trackChild(child, true);
      const logs = new LogTail(40);
      const entry: Started = { name: proc.name, child, logs };
      started.push(entry);
      const forward = (chunk: Buffer) => {
        for (const line of logs.push(chunk)) opts.onOutput?.(proc.name, line);
      };
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
      child.once('exit', (code, signal) => {
        if (!stopping) onEvent(`${proc.name} exited unexpectedly (code ${code}, signal ${signal})`);
      });

      try {
        await waitReady(proc, proc.readiness, procEnv, entry);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(
          `process "${proc.name}" did not become ready: ${reason}\n--- last lines of ${proc.name} ---\n${logs.text() || '(no output)'}`,
        );
      }
      Object.assign(env, provides);
      onEvent(`${proc.name} is ready`);
      states.push({
        name: proc.name,
        status: 'started',
        ...(child.pid === undefined ? {} : { pid: child.pid }),
        links: links(),
        provides,
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const webhookUrl = config.webhookUrl ? interpolate(config.webhookUrl, env, 'webhookUrl') : undefined;
  return { env, processes: states, ...(webhookUrl ? { webhookUrl } : {}), stop };
}
