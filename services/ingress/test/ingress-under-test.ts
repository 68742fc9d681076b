import type { JetStreamManager } from '@nats-io/jetstream';
import { ingressEnv } from '@reserveit/config';
import type { Topology } from '@reserveit/contracts';
import { createLogger } from '@reserveit/telemetry';
import { expect } from 'vitest';
import { type RunningIngress, startIngress } from '../src/server.js';

export const SECRET = 'test-app-secret';
export const OLD_SECRET = 'old-app-secret';
export const VERIFY_TOKEN = 'test-verify-token';

/** A real ingress on a free loopback port, isolated on its own NATS prefix. */
export async function ingressUnderTest(
  natsUrl: string,
  prefix: string,
  env: Record<string, string> = {},
): Promise<RunningIngress> {
  const config = ingressEnv.parse({
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    INGRESS_HOST: '127.0.0.1',
    INGRESS_PORT: '0',
    WHATSAPP_APP_SECRET: `${SECRET},${OLD_SECRET}`,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startIngress(config, createLogger('ingress-test', config.LOG_LEVEL));
}

/**
 * Waits until the deriver has acked every raw body stored so far (nothing pending, nothing out):
 * whatever ingress answered 200 to has its events in WHATSAPP by then.
 */
export async function derivationCaughtUp(
  jsm: JetStreamManager,
  topology: Topology,
  timeoutMs = 15_000,
): Promise<void> {
  const { stream, durable } = topology.consumers.ingress.deriver;
  await expect
    .poll(
      async () => {
        const info = await jsm.consumers.info(stream, durable);
        return info.num_pending + info.num_ack_pending;
      },
      { timeout: timeoutMs, interval: 50 },
    )
    .toBe(0);
}
