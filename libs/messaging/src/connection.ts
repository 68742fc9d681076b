import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export type { NatsConnection };

export interface ConnectOptions {
  /** One URL or a comma-separated list (cluster seeds). */
  url: string;
  /** Shows up in `nats server report connections`, so ops can tell services apart. */
  name: string;
  logger: Logger;
  /**
   * Its NATS user (libs/config natsCredentials): the password, and the inbox prefix its user may
   * subscribe to (deploy/nats/users.conf), so it reads no other user's replies.
   */
  credentials: { user: string; password: string; inboxPrefix: string };
  /** NATS_TLS_* files (natsTls in libs/config); nats.js reads them on each (re)connect. Plaintext without. */
  tls?: { caFile: string; certFile?: string; keyFile?: string } | undefined;
}

/**
 * Connects and keeps reconnecting for ever: a service that gives up on NATS after a blip would
 * need a restart to recover, while readiness already tells the orchestrator it is degraded.
 */
export async function connectNats({
  url,
  name,
  logger,
  credentials,
  tls,
}: ConnectOptions): Promise<NatsConnection> {
  const servers = url.split(',').map((server) => server.trim());
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name,
      ...(tls && { tls }),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: false,
      // Otherwise every request (each JetStream publish) builds two Error objects with stack
      // traces up front, in case it fails: about a fifth of the ingress's CPU under load.
      noAsyncTraces: true,
      user: credentials.user,
      pass: credentials.password,
      inboxPrefix: credentials.inboxPrefix,
    });
  } catch (error) {
    throw new Error(
      `Cannot reach NATS at ${url}: ${(error as Error).message}. Start nats-server with JetStream (-js) or set NATS_URL.`,
      { cause: error },
    );
  }
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        logger.warn(
          { nats: status.type, server: 'server' in status ? status.server : undefined },
          `NATS ${status.type}`,
        );
      }
    }
  })();
  logger.info({ nats: nc.getServer() }, 'connected to NATS');
  return nc;
}
