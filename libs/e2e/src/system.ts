import { join } from 'node:path';
import {
  DEV_WHATSAPP,
  type DevCertificates,
  findRepoRoot,
  freePort,
  type RestartPolicy,
} from '@reserveit/localstack';
import { ServiceProcess } from './service-process.js';

export const SERVICE_NAMES = [
  'ingress',
  'intent',
  'reservation',
  'conversation',
  'sender',
  'scheduler',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The sender's default token in development; the fake Graph API must expect the same. */
export const E2E_ACCESS_TOKEN = 'dev-access-token';

export interface SystemOptions {
  /**
   * Each service connects as its own NATS user (NATS_USER unset: its name) with its development
   * password: on a server with the users of `prefix` (testkit useNatsWithUsers), under its
   * allow-lists; on one without users, the credentials are ignored.
   */
  natsUrl: string;
  /** NATS_PREFIX of every service: streams `<prefix>_NAME`, subjects `<prefix>.…`. */
  prefix: string;
  /** A fresh database; each service migrates its own schema in it. */
  databaseUrl: string;
  /** WHATSAPP_GRAPH_BASE_URL of the sender (a fake Graph API); the sender is not in dry run. */
  graphBaseUrl: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; without it the OTel SDK is disabled in every service. */
  otlpEndpoint?: string;
  /** Extra variables for every service (e.g. NATS_DUPLICATE_WINDOW_SECONDS). */
  env?: Record<string, string>;
  /** Extra variables per service, applied last (e.g. SENDER_RETRY_BASE_MS for the sender). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Node flags per service, e.g. `['--cpu-prof', '--cpu-prof-dir=…']` to profile it. */
  nodeArgs?: Partial<Record<ServiceName, string[]>>;
  /** Repository root; found from the working directory by default. */
  rootDir?: string;
  /** How long each service may take to answer /readyz; default 60 s (six Node processes on two cores). */
  readyTimeoutMs?: number;
  /** Start a service that exits on its own again, as the local runner does; off by default. */
  restartPolicy?: RestartPolicy;
  /**
   * Also start the staff console (after the others are ready: its development login lists the
   * restaurants), serving the built web app when `webDir` is given.
   */
  console?: { devLogin?: string; webDir?: string; env?: Record<string, string> };
  /** Each line a service writes (also kept as a tail, see `output()`). */
  onOutput?: (name: ServiceName | 'console', line: string) => void;
  /**
   * Development certificates (ensureDevCertificates): every gRPC server and client over TLS, and
   * every NATS connection trusting their CA, so `natsUrl` must be served with them
   * (startNatsServer's `tls`). Plaintext without.
   */
  tls?: DevCertificates;
}

export interface RunningSystem {
  /** POST signed webhooks here. */
  webhookUrl: string;
  /** The app secret ingress verifies signatures with. */
  appSecret: string;
  /** http://host:port of the staff console, when started. */
  consoleUrl?: string;
  /** host:port of each gRPC server. */
  grpc: { intent: string; reservation: string; conversation: string };
  /** http://host:port of each service's probes (ingress: its only port). */
  http: Record<ServiceName, string>;
  /** The environment every service was started with, before its own variables. */
  env: Record<string, string>;
  /** The CA file the gRPC servers' certificates chain to, when started with `tls`. */
  grpcCaFile?: string;
  pid(name: ServiceName): number | undefined;
  /** How often the service was started again after exiting on its own (with `restartPolicy`). */
  restarts(name: ServiceName): number;
  /** The last lines a service wrote. */
  output(name: ServiceName | 'console'): string;
  /** The output tails of every service, for a failure message. */
  describe(): string;
  /** Sends the signal (default SIGKILL) and waits until the process is gone. */
  kill(name: ServiceName | 'console', signal?: NodeJS.Signals): Promise<void>;
  /** Stops the service if it still runs (SIGTERM), starts it again on the same ports, waits until ready. */
  restart(name: ServiceName | 'console'): Promise<void>;
  /** SIGTERM to every service, then waits for them to exit (SIGKILL past a deadline). */
  stop(): Promise<void>;
}

async function ports<K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const entries = await Promise.all(names.map(async (name) => [name, await freePort()] as const));
  return Object.fromEntries(entries) as Record<K, number>;
}

const PORT_RACE_ATTEMPTS = 3;

/**
 * Starts all six services (the scheduler too) as separate processes against one NATS (isolated by prefix), one
 * database, a fake Graph API and free ports, with the demo restaurant seeded; resolves when every
 * /readyz answers. On failure it stops what it started and throws with the output tails.
 *
 * A free port is only free when it is chosen: test files run in parallel processes, and one of
 * them may bind the same port before our service does (EADDRINUSE). Then the whole system starts
 * again on new ports; any other failure is thrown at once.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreshPorts(options);
    } catch (error) {
      const lostPortRace = error instanceof Error && error.message.includes('EADDRINUSE');
      if (!lostPortRace || attempt === PORT_RACE_ATTEMPTS) throw error;
    }
  }
}

async function startOnFreshPorts(options: SystemOptions): Promise<RunningSystem> {
  const root = options.rootDir ?? findRepoRoot();
  const host = '127.0.0.1';
  const port = await ports([
    'ingress',
    'intentGrpc',
    'intentHttp',
    'reservationGrpc',
    'reservationHttp',
    'conversationGrpc',
    'conversationHttp',
    'senderHttp',
    'schedulerHttp',
    'console',
  ] as const);
  const appSecret = DEV_WHATSAPP.appSecret;
  const common: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    NATS_URL: options.natsUrl,
    NATS_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    ...(options.otlpEndpoint
      ? {
          OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
          // Export each span batch soon, so a test sees the whole trace within a second.
          OTEL_BSP_SCHEDULE_DELAY: '200',
        }
      : { OTEL_SDK_DISABLED: 'true' }),
    ...(options.tls && {
      GRPC_TLS_CERT_FILE: options.tls.certFile,
      GRPC_TLS_KEY_FILE: options.tls.keyFile,
      GRPC_TLS_CA_FILE: options.tls.caFile,
      NATS_TLS_CA_FILE: options.tls.caFile,
    }),
    ...options.env,
  };
  const own: Record<ServiceName, Record<string, string>> = {
    ingress: {
      INGRESS_HOST: host,
      INGRESS_PORT: String(port.ingress),
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_VERIFY_TOKEN: DEV_WHATSAPP.verifyToken,
      // The booking Flow's endpoint reads live availability (services/ingress/src/flows).
      RESERVATION_GRPC_ADDRESS: `${host}:${port.reservationGrpc}`,
    },
    intent: {
      INTENT_HOST: host,
      INTENT_GRPC_PORT: String(port.intentGrpc),
      INTENT_HTTP_PORT: String(port.intentHttp),
    },
    reservation: {
      RESERVATION_HOST: host,
      RESERVATION_GRPC_PORT: String(port.reservationGrpc),
      RESERVATION_HTTP_PORT: String(port.reservationHttp),
      RESERVATION_SEED_FILE: join(root, 'deploy/local/seed.json'),
    },
    conversation: {
      CONVERSATION_HOST: host,
      CONVERSATION_GRPC_PORT: String(port.conversationGrpc),
      CONVERSATION_HTTP_PORT: String(port.conversationHttp),
      INTENT_GRPC_ADDRESS: `${host}:${port.intentGrpc}`,
      RESERVATION_GRPC_ADDRESS: `${host}:${port.reservationGrpc}`,
    },
    sender: {
      SENDER_HOST: host,
      SENDER_HTTP_PORT: String(port.senderHttp),
      SENDER_DRY_RUN: 'false',
      WHATSAPP_GRAPH_BASE_URL: options.graphBaseUrl,
      WHATSAPP_ACCESS_TOKEN: E2E_ACCESS_TOKEN,
    },
    scheduler: {
      SCHEDULER_HOST: host,
      SCHEDULER_HTTP_PORT: String(port.schedulerHttp),
    },
  };
  const http: Record<ServiceName, string> = {
    ingress: `http://${host}:${port.ingress}`,
    intent: `http://${host}:${port.intentHttp}`,
    reservation: `http://${host}:${port.reservationHttp}`,
    conversation: `http://${host}:${port.conversationHttp}`,
    sender: `http://${host}:${port.senderHttp}`,
    scheduler: `http://${host}:${port.schedulerHttp}`,
  };
  const processes = Object.fromEntries(
    SERVICE_NAMES.map((name) => [
      name,
      new ServiceProcess({
        name,
        main: join(root, 'services', name, 'dist', 'main.js'),
        cwd: root,
        env: { ...common, ...own[name], ...options.serviceEnv?.[name] },
        ...(options.nodeArgs?.[name] ? { nodeArgs: options.nodeArgs[name] } : {}),
        readyUrl: `${http[name]}/readyz`,
        readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
        ...(options.restartPolicy ? { restartPolicy: options.restartPolicy } : {}),
        ...(options.onOutput
          ? { onOutput: (_: string, line: string) => options.onOutput?.(name, line) }
          : {}),
      }),
    ]),
  ) as Record<ServiceName, ServiceProcess>;

  const consoleUrl = `http://${host}:${port.console}`;
  const consoleProcess =
    options.console &&
    new ServiceProcess({
      name: 'console',
      main: join(root, 'services', 'console', 'dist', 'main.js'),
      cwd: root,
      env: {
        ...common,
        CONSOLE_HOST: host,
        CONSOLE_PORT: String(port.console),
        RESERVATION_GRPC_ADDRESS: `${host}:${port.reservationGrpc}`,
        CONVERSATION_GRPC_ADDRESS: `${host}:${port.conversationGrpc}`,
        ...(options.console.devLogin ? { CONSOLE_DEV_LOGIN: options.console.devLogin } : {}),
        ...(options.console.webDir ? { CONSOLE_WEB_DIR: options.console.webDir } : {}),
        ...options.console.env,
      },
      readyUrl: `${consoleUrl}/readyz`,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      ...(options.onOutput
        ? { onOutput: (_: string, line: string) => options.onOutput?.('console', line) }
        : {}),
    });
  const all = consoleProcess
    ? [...SERVICE_NAMES.map((name) => processes[name]), consoleProcess]
    : SERVICE_NAMES.map((name) => processes[name]);
  const processOf = (name: ServiceName | 'console'): ServiceProcess => {
    if (name !== 'console') return processes[name];
    if (!consoleProcess) throw new Error('the system was started without the console');
    return consoleProcess;
  };
  const describe = () => all.map((process) => process.describe()).join('\n');
  const stop = async () => {
    await Promise.all(all.map((process) => process.kill('SIGTERM')));
  };

  // All at once: each waits for nothing but NATS and Postgres to become ready (gRPC clients
  // connect lazily), and six Node starts in parallel take a fraction of six in a row.
  const started = await Promise.allSettled(SERVICE_NAMES.map((name) => processes[name].start()));
  const failures = started.flatMap((result) =>
    result.status === 'rejected' ? [String((result.reason as Error).message ?? result.reason)] : [],
  );
  if (consoleProcess && failures.length === 0) {
    await consoleProcess.start().catch((error: Error) => failures.push(error.message));
  }
  if (failures.length > 0) {
    await stop();
    throw new Error(`the system did not start:\n${failures.join('\n')}`);
  }

  return {
    webhookUrl: `${http.ingress}/webhooks/whatsapp`,
    appSecret,
    ...(consoleProcess ? { consoleUrl } : {}),
    grpc: {
      intent: `${host}:${port.intentGrpc}`,
      reservation: `${host}:${port.reservationGrpc}`,
      conversation: `${host}:${port.conversationGrpc}`,
    },
    http,
    env: common,
    ...(options.tls ? { grpcCaFile: options.tls.caFile } : {}),
    pid: (name) => processes[name].pid,
    restarts: (name) => processes[name].restarts,
    output: (name) => processOf(name).output(),
    describe,
    kill: (name, signal = 'SIGKILL') => processOf(name).kill(signal),
    restart: async (name) => {
      await processOf(name).kill('SIGTERM');
      await processOf(name).start();
    },
    stop,
  };
}
