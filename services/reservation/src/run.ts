import { loadReservationConfig } from '@reserveit/config';
import { createLogger, type Telemetry } from '@reserveit/telemetry';
import { startReservation } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadReservationConfig();
  const logger = createLogger('reservation', config.LOG_LEVEL);
  const reservation = await startReservation(config, logger);
  logger.info(
    {
      grpc: reservation.grpcAddress,
      readiness: `${reservation.httpAddress}/readyz`,
      metrics: `${reservation.httpAddress}/metrics`,
      nats: config.NATS_URL,
      stream: reservation.topology.streams.reservations.name,
      seeded: reservation.seeded,
    },
    `reservation gRPC on ${reservation.grpcAddress}, HTTP on ${reservation.httpAddress}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new calls, finishing in-flight ones');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS).unref();
    await reservation.close();
    await telemetry.shutdown().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
