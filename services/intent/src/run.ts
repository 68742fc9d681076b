import { loadIntentConfig, projectsMemory } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
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
      memoryProjector: projectsMemory(config) ? intent.topology.streams.conversations.name : 'off',
    },
    `intent gRPC listening on ${intent.grpcAddress}, HTTP on ${intent.httpAddress}`,
  );

  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'no new calls, finishing in-flight ones, writing buffered records',
    close: () => intent.close(config.SHUTDOWN_DEADLINE_MS),
  });
}
