import { randomBytes } from 'node:crypto';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inject } from 'vitest';
import './provided-context.js';

export interface TestNats {
  url: string;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /**
   * Unique per call, valid as a subject token and a stream-name part. Project contract: with a
   * prefix set, stream names are `${prefix}_WHATSAPP` etc., so cleanup() can find them.
   */
  prefix: string;
  /** Deletes every stream named `${prefix}_…` and closes the connection. */
  cleanup(): Promise<void>;
}

export function newTestPrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

export interface UseNatsOptions {
  /** The prefix to isolate by; a new one by default. */
  prefix?: string;
  /** A user of a server with users (testNatsUsers' `test`). */
  credentials?: { user: string; pass: string };
}

/** A connection to the run's NATS server (or `url`) with an isolated stream-name prefix. */
export async function useNats(
  url: string = inject('natsUrl'),
  options: UseNatsOptions = {},
): Promise<TestNats> {
  const nc = await connect({ servers: url, name: 'reserveit-test', ...options.credentials });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const prefix = options.prefix ?? newTestPrefix();
  return {
    url,
    nc,
    js,
    jsm,
    prefix,
    cleanup: async () => {
      try {
        const mine: string[] = [];
        for await (const info of jsm.streams.list()) {
          if (info.config.name.startsWith(`${prefix}_`)) mine.push(info.config.name);
        }
        for (const name of mine) await jsm.streams.delete(name);
      } finally {
        await nc.close();
      }
    },
  };
}
