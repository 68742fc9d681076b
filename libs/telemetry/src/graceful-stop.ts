import type { Logger } from 'pino';
import type { Telemetry } from './sdk.js';

export interface GracefulStop {
  logger: Logger;
  telemetry: Telemetry;
  /** Past this, the process exits 1 rather than hang a rollout. */
  deadlineMs: number;
  /** What stopping means for this service, for the log line (e.g. "finishing in-flight sends"). */
  doing: string;
  /** Stops taking work, finishes or hands back what is in hand, closes connections. */
  close(): Promise<void>;
}

/**
 * SIGTERM/SIGINT: stop within a deadline, flush telemetry, exit 0. The explicit exit is needed
 * because exporter retry timers may still be pending once everything worth keeping is flushed.
 */
export function stopOnSignals({ logger, telemetry, deadlineMs, doing, close }: GracefulStop): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `stopping: ${doing}`);
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed; exiting');
      process.exit(1);
    }, deadlineMs).unref();
    try {
      await close();
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
    await telemetry.shutdown().catch(() => undefined);
    clearTimeout(deadline);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
