import { type TestDatabase, type TestNatsWithUsers, useDatabase, useNatsWithUsers } from '@reserveit/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  FakeWhatsApp,
  type FakeWhatsAppOptions,
  ReservationReader,
  type RunningSystem,
  type SystemOptions,
  startSystem,
} from '../src/index.js';

export interface SystemUnderTest {
  nats: TestNatsWithUsers;
  db: TestDatabase;
  whatsapp: FakeWhatsApp;
  system: RunningSystem;
  reservations: ReservationReader;
  stop(): Promise<void>;
}

/**
 * All six services as processes, each as its own NATS user on a private nats-server with the users
 * of its prefix (deploy/nats/users.conf), and a fresh database, with a fake WhatsApp.
 */
export async function systemUnderTest(
  options: Pick<SystemOptions, 'env' | 'serviceEnv' | 'otlpEndpoint'> & FakeWhatsAppOptions = {},
): Promise<SystemUnderTest> {
  const nats = await useNatsWithUsers();
  const db = await useDatabase();
  const whatsapp = await FakeWhatsApp.start({
    ...(options.echoStatuses === undefined ? {} : { echoStatuses: options.echoStatuses }),
    ...(options.echoDelayMs === undefined ? {} : { echoDelayMs: options.echoDelayMs }),
  });
  let system: RunningSystem;
  try {
    system = await startSystem({
      natsUrl: nats.url,
      prefix: nats.prefix,
      databaseUrl: db.url,
      graphBaseUrl: whatsapp.graphBaseUrl,
      ...(options.otlpEndpoint ? { otlpEndpoint: options.otlpEndpoint } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.serviceEnv ? { serviceEnv: options.serviceEnv } : {}),
    });
  } catch (error) {
    await whatsapp.close();
    await nats.cleanup();
    await db.drop();
    throw error;
  }
  whatsapp.connect(system);
  const reservations = new ReservationReader(system.grpc.reservation);
  return {
    nats,
    db,
    whatsapp,
    system,
    reservations,
    async stop() {
      reservations.close();
      await system.stop();
      await whatsapp.close();
      await db.drop();
      // Last: it fails when NATS refused a service anything (a missing permission).
      await nats.cleanup();
    },
  };
}

/**
 * A test file's system: started before its tests, stopped after them, its services' last output
 * printed when a test fails. The returned function gives the running system inside tests and hooks.
 */
export function useSystem(options: Parameters<typeof systemUnderTest>[0] = {}): () => SystemUnderTest {
  let sut: SystemUnderTest | undefined;
  beforeAll(async () => {
    sut = await systemUnderTest(options);
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
  });
  printOutputOnFailure(() => sut);
  return () => {
    if (!sut) throw new Error('the system did not start (see the beforeAll error)');
    return sut;
  };
}

/** When a test fails, print what each service wrote last: the cause is usually there. */
export function printOutputOnFailure(current: () => SystemUnderTest | undefined): void {
  afterEach((context) => {
    const sut = current();
    if (context.task.result?.state === 'fail' && sut) console.error(sut.system.describe());
  });
}

/** Polls until `check` returns a value (not undefined), or throws after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reply button with this title; fails the test, naming the buttons there were, when none has it. */
export function button(reply: { buttons: { id: string; title: string }[] } | undefined, title: string) {
  const found = reply?.buttons.find((b) => b.title === title);
  if (!found) throw new Error(`no "${title}" button in ${JSON.stringify(reply?.buttons)}`);
  return found;
}
