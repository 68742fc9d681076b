import { loadIntentConfig } from '@reserveit/config';
import { createLogger, type Telemetry } from '@reserveit/telemetry';
import { startIntent } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadIntentConfig();
  const logger = createLogger('intent', config.LOG_LEVEL);
  const intent = await startIntent(config, logger);
  logger.info(
    {
      grpc: intent.grpcAddress,
      health: `${intent.httpAddress}/healthz`,
      readiness: `${intent.httpAddress}/readyz`,
      metrics: `${intent.httpAddress}/metrics`,
      provider: config.INTENT_PROVIDER,
      ...(config.INTENT_PROVIDER === 'llm'
        ? { llm: config.INTENT_LLM_BASE_URL, model: config.INTENT_LLM_MODEL }
        : {}),
      memoryProjector: config.INTENT_MEMORY_PROJECTOR ? intent.topology.streams.conversations.name : 'off',
    },
    `intent gRPC listening on ${intent.grpcAddress}, HTTP on ${intent.httpAddress}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new calls, finishing in-flight ones, writing buffered records');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs: config.SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, config.SHUTDOWN_DEADLINE_MS).unref();
    await intent.close(config.SHUTDOWN_DEADLINE_MS);
    await telemetry.shutdown().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
