import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './crash-loop.js';
import { pathWithSbin } from './executable.js';
import { freePort, portInUse } from './free-port.js';
import { waitReady } from './readiness.js';
import { interpolate, loadStackConfig, type StackProcess, startOrder } from './stack-config.js';
import { SupervisedProcess } from './supervised-process.js';

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
  /** Progress and notices (port fallbacks, skips, unexpected exits and restarts). */
  onEvent?: (message: string) => void;
  /** Grace period before SIGKILL when stopping; default 15 s. */
  stopTimeoutMs?: number;
  /** How a process that exits on its own is restarted; default DEFAULT_RESTART_POLICY. */
  restartPolicy?: RestartPolicy;
}

export interface StackProcessState {
  name: string;
  /** `external`: skipped because its skipWhenEnv variable points at an existing service. */
  status: 'started' | 'external';
  /** Its pid when it became ready; a restart gives it another. */
  pid?: number;
  /** Links with `${VAR}` resolved. */
  links: { url: string; name?: string }[];
  /** Variables it provides (exports, or its skipWhenEnv variable when external). */
  provides: Record<string, string>;
  /** The ports it listens on, by variable (INTENT_GRPC_PORT: 50052). */
  ports: Record<string, number>;
}

export interface RunningStack {
  /** The environment the processes were started with (base env + defaults + ports + exports). */
  env: Record<string, string>;
  processes: StackProcessState[];
  /** `webhookUrl` from stack.json, resolved. */
  webhookUrl?: string;
  /** Stops every started process in reverse start order, and restarts to come. */
  stop(): Promise<void>;
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
 * Each port of a process: its variable when set, else its default unless something listens there
 * or an earlier process of this run was given it, else a free one. Sets the variables in `env`.
 */
async function pickPorts(
  proc: StackProcess,
  env: Record<string, string>,
  taken: Set<number>,
  onEvent: (message: string) => void,
): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const spec of proc.ports) {
    const explicit = env[spec.env];
    let port = explicit ? Number(explicit) : spec.default;
    if (!Number.isInteger(port)) throw new Error(`${spec.env}=${explicit} is not a port number`);
    if (!explicit && (taken.has(port) || (await portInUse(port)))) {
      const fallback = await freePort(taken);
      onEvent(`${proc.name}: port ${port} is busy, using ${fallback} instead (${spec.env}=${fallback})`);
      port = fallback;
    }
    taken.add(port);
    env[spec.env] = String(port);
    ports[spec.env] = port;
  }
  return ports;
}

/**
 * Starts the processes of a stack.json in dependency order, each once the previous is ready.
 * On any failure it stops what it started and throws with the failing process's last log lines.
 * Once ready, a process that exits on its own is started again (crash-loop.ts) until stop().
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const config = loadStackConfig(opts.configPath);
  const onEvent = opts.onEvent ?? (() => undefined);
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  const policy = opts.restartPolicy ?? DEFAULT_RESTART_POLICY;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env)) if (v !== undefined) env[k] = v;
  env.PATH = pathWithSbin(env.PATH);
  for (const [k, v] of Object.entries(config.env)) if (env[k] === undefined) env[k] = v;

  const wanted = withDeps(config.processes, opts.only);
  const order = startOrder(config.processes).filter((p) => wanted.has(p.name));
  const started: SupervisedProcess[] = [];
  const states: StackProcessState[] = [];
  const taken = new Set<number>();

  const stop = async (): Promise<void> => {
    for (const s of [...started].reverse()) {
      onEvent(`stopping ${s.name}`);
      await s.stop();
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
          ports: {},
        });
        continue;
      }
      const ports = await pickPorts(proc, env, taken, onEvent);
      const procEnv: Record<string, string> = { ...env };
      for (const [k, v] of Object.entries(proc.env))
        procEnv[k] = interpolate(v, env, `process "${proc.name}" env ${k}`);
      const provides: Record<string, string> = {};
      for (const [k, v] of Object.entries(proc.exports)) {
        provides[k] = interpolate(v, procEnv, `process "${proc.name}" export ${k}`);
      }

      onEvent(`starting ${proc.name}: ${proc.command}`);
      const supervised = new SupervisedProcess({
        name: proc.name,
        command: proc.command,
        cwd: opts.rootDir,
        env: procEnv,
        policy,
        stopTimeoutMs,
        onOutput: (line) => opts.onOutput?.(proc.name, line),
        onEvent,
        waitReady: (isDead) => waitReady(proc, procEnv, isDead),
      });
      started.push(supervised);
      try {
        await waitReady(proc, procEnv, () => supervised.isDead());
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new Error(
          `process "${proc.name}" did not become ready: ${reason}\n--- last lines of ${proc.name} ---\n${supervised.logs.text() || '(no output)'}`,
        );
      }
      supervised.supervise();
      Object.assign(env, provides);
      onEvent(`${proc.name} is ready`);
      states.push({
        name: proc.name,
        status: 'started',
        ...(supervised.pid === undefined ? {} : { pid: supervised.pid }),
        links: links(),
        provides,
        ports,
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const webhookUrl = config.webhookUrl ? interpolate(config.webhookUrl, env, 'webhookUrl') : undefined;
  return { env, processes: states, ...(webhookUrl ? { webhookUrl } : {}), stop };
}
