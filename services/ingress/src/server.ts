import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { grpcClientTls, type IngressConfig, natsCredentials, natsTls } from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { connectNats, ensureStream, RawBodies, type RunningConsumer } from '@reserveit/messaging';
import { tokenSigner } from '@reserveit/rpc';
import { boundUrl, createMetrics, type Logger } from '@reserveit/telemetry';
import { buildApp } from './app.js';
import { startDeriver } from './deriver.js';
import { reservationAvailability } from './flows/reservation-availability.js';
import { ingressMetrics } from './metrics.js';
import { natsWebhookSink } from './nats-sink.js';

export interface RunningIngress {
  /** e.g. http://127.0.0.1:8080 */
  address: string;
  topology: Topology;
  /** Whether this process runs the deriver (INGRESS_DERIVER). */
  deriver: boolean;
  /**
   * Says not ready, keeps serving for SHUTDOWN_DRAIN_MS, then stops accepting, lets in-flight
   * webhooks finish their publishes, stops the deriver after the batch in hand, and drains NATS.
   */
  close(): Promise<void>;
}

/** Connects, makes sure the streams exist, and listens. Used by main and by the tests alike. */
export async function startIngress(config: IngressConfig, logger: Logger): Promise<RunningIngress> {
  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  const nc = await connectNats({
    url: config.NATS_URL,
    name: 'ingress',
    logger,
    credentials: natsCredentials(config, 'ingress'),
    tls: natsTls(config),
  });
  const jsm = await jetstreamManager(nc);
  for (const spec of [topology.streams.whatsapp, topology.streams.raw, topology.streams.deadLetters]) {
    await ensureStream(jsm, spec, { replicas: config.NATS_STREAM_REPLICAS });
  }
  const registry = createMetrics('ingress');
  const metrics = ingressMetrics(registry);
  const js = jetstream(nc);
  const rawBodies = new RawBodies(nc, js, jsm, topology);
  const sink = natsWebhookSink({ nc, jsm, rawBodies, topology });
  const deriver: RunningConsumer | undefined = config.INGRESS_DERIVER
    ? await startDeriver({
        nc,
        js,
        jsm,
        rawBodies,
        topology,
        entry: topology.consumers.ingress.deriver,
        logger,
        metrics,
      })
    : undefined;
  const availability = reservationAvailability(
    config.RESERVATION_GRPC_ADDRESS,
    tokenSigner('ingress', config.RPC_SIGNING_KEY),
    config.INGRESS_FLOW_DEADLINE_MS,
    grpcClientTls(config),
  );
  let draining = false;
  const app = buildApp({
    sink: {
      store: sink.store,
      readiness: async () => (draining ? { ready: false, detail: 'shutting down' } : sink.readiness()),
    },
    topology,
    appSecrets: config.WHATSAPP_APP_SECRET,
    verifyToken: config.WHATSAPP_VERIFY_TOKEN,
    bodyLimitBytes: config.INGRESS_BODY_LIMIT_BYTES,
    publishTimeoutMs: config.INGRESS_PUBLISH_TIMEOUT_MS,
    logger,
    registry,
    metrics,
    flowPrivateKey: config.WHATSAPP_FLOW_PRIVATE_KEY_FILE,
    flowAvailability: availability,
  });
  await app.listen({ host: config.INGRESS_HOST, port: config.INGRESS_PORT });
  const address = boundUrl(app.server.address());
  return {
    address,
    topology,
    deriver: deriver !== undefined,
    async close() {
      draining = true;
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      await app.close();
      await deriver?.stop();
      availability.close();
      await nc.drain();
    },
  };
}
