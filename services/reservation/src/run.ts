import { loadReservationConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
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

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new calls, finishing in-flight ones',
    close: () => reservation.close(),
  });
}
