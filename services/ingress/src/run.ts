import { createHash } from 'node:crypto';
import { flowPublicKeyPem, loadIngressConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
import { startIngress } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadIngressConfig();
  const logger = createLogger('ingress', config.LOG_LEVEL);
  const ingress = await startIngress(config, logger);
  logger.info(
    {
      webhook: `${ingress.address}/webhooks/whatsapp`,
      bookingFlow: `${ingress.address}/flows/booking`,
      // Which RSA key answers the booking Flow: compare with the public key uploaded to Meta.
      flowPublicKeySha256: createHash('sha256')
        .update(flowPublicKeyPem(config.WHATSAPP_FLOW_PRIVATE_KEY_FILE))
        .digest('hex'),
      readiness: `${ingress.address}/readyz`,
      metrics: `${ingress.address}/metrics`,
      nats: config.NATS_URL,
      streams: [ingress.topology.streams.whatsapp.name, ingress.topology.streams.raw.name],
      deriver: ingress.deriver,
      appSecrets: config.WHATSAPP_APP_SECRET.length,
    },
    `ingress listening on ${ingress.address}`,
  );

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new webhooks, finishing in-flight publishes and derivations',
    close: () => ingress.close(),
  });
}
