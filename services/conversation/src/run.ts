import { loadConversationConfig } from '@reserveit/config';
import { createLogger, type Telemetry } from '@reserveit/telemetry';
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new messages, finishing the ones in hand');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS).unref();
    await conversation.close();
    await telemetry.shutdown().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
