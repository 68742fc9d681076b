import { loadSenderConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
import { startSender } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadSenderConfig();
  const logger = createLogger('sender', config.LOG_LEVEL);
  const sender = await startSender(config, logger);
  logger.info(
    {
      readiness: `${sender.address}/readyz`,
      metrics: `${sender.address}/metrics`,
      nats: config.NATS_URL,
      streams: [sender.topology.streams.outbound.name, sender.topology.streams.whatsapp.name],
      graphApi: config.SENDER_DRY_RUN ? 'dry run: nothing is sent' : config.WHATSAPP_GRAPH_BASE_URL,
      graphVersion: config.WHATSAPP_GRAPH_VERSION,
      ratePerSecond: config.SENDER_RATE_PER_SECOND,
      reconcileWindowMs: config.SENDER_RECONCILE_WINDOW_MS,
    },
    `sender listening on ${sender.address}`,
  );

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new commands, finishing in-flight sends',
    close: () => sender.close(),
  });
}
