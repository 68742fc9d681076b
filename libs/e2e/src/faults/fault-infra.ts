import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EmbeddedPostgres,
  type NatsServer,
  type ShutdownMode,
  startEmbeddedPostgres,
  startNatsServer,
} from '@reserveit/localstack';
import { natsRefusals, newTestPrefix, testNatsUsers } from '@reserveit/testkit';

/**
 * A nats-server and a Postgres of the fault run's own (free ports, store and data in temporary
 * directories), so a fault may kill and restart them: never the machine's shared servers.
 */
export interface FaultInfra {
  natsUrl: string;
  /**
   * NATS_PREFIX of every run: the server has the users of this prefix (each service runs as its
   * own), and a run deletes its streams when it ends, so the next starts afresh under the same.
   */
  prefix: string;
  /** The test's own NATS user on that server, with every permission. */
  natsTest: { user: string; pass: string };
  /** What nats-server refused any user so far (its log's permission violations), restarts included. */
  natsRefusals(): Promise<string[]>;
  /** Superuser URL of the private Postgres; each run makes its own database there. */
  adminUrl: string;
  /** kill -9, down `downMs`, started again on the same port and store (JetStream recovers it). */
  restartNats(downMs: number): Promise<void>;
  /** `pg_ctl stop -m <mode>`, down `downMs`, started again on the same port and data. */
  restartPostgres(mode: ShutdownMode, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultInfra(): Promise<FaultInfra> {
  const prefix = newTestPrefix();
  const users = testNatsUsers(prefix);
  const configDir = await mkdtemp(join(tmpdir(), 'reserveit-fault-nats-'));
  const configFile = join(configDir, 'nats.conf');
  const logFile = join(configDir, 'nats.log');
  await writeFile(configFile, users.config);
  let nats: NatsServer;
  let postgres: EmbeddedPostgres;
  try {
    nats = await startNatsServer({
      configFile,
      env: users.env,
      extraArgs: ['--name', `reserveit-${prefix}`, '-l', logFile],
    });
  } catch (error) {
    await rm(configDir, { recursive: true, force: true });
    throw error;
  }
  try {
    postgres = await startEmbeddedPostgres();
  } catch (error) {
    await nats.stop();
    await rm(configDir, { recursive: true, force: true });
    throw error;
  }
  return {
    natsUrl: nats.url,
    prefix,
    natsTest: users.test,
    natsRefusals: () => natsRefusals(logFile),
    adminUrl: postgres.url,
    restartNats: async (downMs) => {
      await nats.kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await nats.restart();
    },
    restartPostgres: (mode, downMs) => postgres.restart(mode, downMs),
    stop: async () => {
      await Promise.allSettled([nats.stop(), postgres.stop()]);
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
