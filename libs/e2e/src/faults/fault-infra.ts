import {
  type EmbeddedPostgres,
  type NatsServer,
  type ShutdownMode,
  startEmbeddedPostgres,
  startNatsServer,
} from '@reserveit/localstack';

/**
 * A nats-server and a Postgres of the fault run's own (free ports, store and data in temporary
 * directories), so a fault may kill and restart them: never the machine's shared servers.
 */
export interface FaultInfra {
  natsUrl: string;
  /** Superuser URL of the private Postgres; each run makes its own database there. */
  adminUrl: string;
  /** kill -9, down `downMs`, started again on the same port and store (JetStream recovers it). */
  restartNats(downMs: number): Promise<void>;
  /** `pg_ctl stop -m <mode>`, down `downMs`, started again on the same port and data. */
  restartPostgres(mode: ShutdownMode, downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultInfra(): Promise<FaultInfra> {
  const nats: NatsServer = await startNatsServer();
  let postgres: EmbeddedPostgres;
  try {
    postgres = await startEmbeddedPostgres();
  } catch (error) {
    await nats.stop();
    throw error;
  }
  return {
    natsUrl: nats.url,
    adminUrl: postgres.url,
    restartNats: async (downMs) => {
      await nats.kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await nats.restart();
    },
    restartPostgres: (mode, downMs) => postgres.restart(mode, downMs),
    stop: async () => {
      await Promise.allSettled([nats.stop(), postgres.stop()]);
    },
  };
}
