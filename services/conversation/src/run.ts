import { loadConversationConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
import { startConversation } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadConversationConfig();
  const logger = createLogger('conversation', config.LOG_LEVEL);
  const conversation = await startConversation(config, logger);
  logger.info(
    {
      grpc: conversation.grpcAddress,
      readiness: `${conversation.httpAddress}/readyz`,
      metrics: `${conversation.httpAddress}/metrics`,
      nats: config.NATS_URL,
      intent: config.INTENT_GRPC_ADDRESS,
      reservation: config.RESERVATION_GRPC_ADDRESS,
      consumes: conversation.topology.streams.whatsapp.name,
    },
    `conversation listening on ${conversation.grpcAddress} (gRPC) and ${conversation.httpAddress} (probes)`,
  );

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new messages, finishing the ones in hand',
    close: () => conversation.close(),
  });
}
