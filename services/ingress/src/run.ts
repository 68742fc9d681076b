import { loadIngressConfig } from '@reserveit/config';
import { createLogger, type Telemetry } from '@reserveit/telemetry';
import { startIngress } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadIngressConfig();
  const logger = createLogger('ingress', config.LOG_LEVEL);
  const ingress = await startIngress(config, logger);
  logger.info(
    {
      webhook: `${ingress.address}/webhooks/whatsapp`,
      readiness: `${ingress.address}/readyz`,
      metrics: `${ingress.address}/metrics`,
      nats: config.NATS_URL,
      streams: [ingress.topology.streams.whatsapp.name, ingress.topology.streams.raw.name],
      appSecrets: config.WHATSAPP_APP_SECRET.length,
    },
    `ingress listening on ${ingress.address}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new webhooks, finishing in-flight publishes');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS).unref();
    await ingress.close();
    await telemetry.shutdown().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('stopped');
    // Exporter retry timers may still be pending; everything worth keeping is flushed by now.
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
