import { loadConsoleConfig } from '@reserveit/config';
import { createLogger, stopOnSignals, type Telemetry } from '@reserveit/telemetry';
import { startConsole } from './server.js';

/** The process shell: config, start, a startup line that says where things are, an orderly stop. */
export async function run(telemetry: Telemetry): Promise<void> {
  const config = loadConsoleConfig();
  const logger = createLogger('console', config.LOG_LEVEL);
  const running = await startConsole(config, logger);
  logger.info(
    {
      app: `${running.address}/`,
      api: `${running.address}/api`,
      readiness: `${running.address}/readyz`,
      metrics: `${running.address}/metrics`,
      webApp: running.webDir ?? 'not built: run `pnpm build` (the API still serves)',
      reservation: config.RESERVATION_GRPC_ADDRESS,
      conversation: config.CONVERSATION_GRPC_ADDRESS,
    },
    `console listening on ${running.address}`,
  );
  stopOnSignals({
    logger,
    telemetry,
    deadlineMs: config.SHUTDOWN_DEADLINE_MS,
    doing: 'closing live connections and finishing requests',
    close: () => running.close(),
  });
}
