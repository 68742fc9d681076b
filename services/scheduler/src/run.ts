import { loadSchedulerConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
import { startScheduler } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadSchedulerConfig();
  const logger = createLogger('scheduler', config.LOG_LEVEL);
  const scheduler = await startScheduler(config, logger);
  logger.info(
    {
      readiness: `${scheduler.address}/readyz`,
      metrics: `${scheduler.address}/metrics`,
      nats: config.NATS_URL,
      streams: [scheduler.topology.streams.reservations.name, scheduler.topology.streams.schedule.name],
      intake: config.SCHEDULER_INTAKE,
      concurrency: config.SCHEDULER_CONCURRENCY,
    },
    `scheduler listening on ${scheduler.address}`,
  );

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new jobs, finishing running ones',
    close: () => scheduler.close(),
  });
}
