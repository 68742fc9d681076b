import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEV_NATS_PASSWORDS } from '@reserveit/config';
import { NATS_USERS, natsPasswordVariable, renderNatsUsersConf, topology } from '@reserveit/contracts';
import {
  type DevCertificates,
  ensureDevCertificates,
  type NatsServer,
  startNatsServer,
} from '@reserveit/localstack';
import { newTestPrefix, type TestNats } from './nats.js';

/** The test's own user on a server with users: no permissions block, so it may do anything. */
export const TEST_NATS_USER = 'test';
const TEST_NATS_PASSWORD = 'test-nats-password';

export interface TestNatsUsers {
  /** A nats-server config: the users of `prefix`'s deployment and the test's own. */
  config: string;
  /** The server's environment: every user's password (NATS_PASSWORD_<USER>). */
  env: Record<string, string>;
  /** The test's own user, with every permission. */
  test: { user: string; pass: string };
}

/**
 * deploy/nats/users.conf as rendered for a test's prefix, with the services' development passwords
 * (libs/config DEV_NATS_PASSWORDS, what each service uses when NATS_PASSWORD is unset) and a
 * user of the test's own.
 */
export function testNatsUsers(prefix: string): TestNatsUsers {
  const env: Record<string, string> = Object.fromEntries(
    NATS_USERS.map((user) => [natsPasswordVariable(user), DEV_NATS_PASSWORDS[user]]),
  );
  env[natsPasswordVariable(TEST_NATS_USER)] = TEST_NATS_PASSWORD;
  return {
    config: renderNatsUsersConf(topology(prefix), [{ user: TEST_NATS_USER, permissions: 'all' }]),
    env,
    test: { user: TEST_NATS_USER, pass: TEST_NATS_PASSWORD },
  };
}

export interface TestNatsWithUsers extends TestNats {
  /** The private server, to restart or kill in a fault. */
  server: NatsServer;
  /** The server's log lines of refused publishes and subscriptions so far (`Permissions Violation`). */
  violations(): Promise<string[]>;
}

/** The lines of a nats-server log (`-l <file>`) telling of a refused publish or subscription. */
export async function natsRefusals(logFile: string): Promise<string[]> {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  return log.split('\n').filter((line) => /Violation/.test(line));
}

export interface NatsWithUsersOptions {
  /** The test provokes refusals on purpose; otherwise cleanup() fails when the server logged any. */
  refusalsExpected?: boolean;
  /** Clients must speak TLS with these files (localstack ensureDevCertificates); the test's connection trusts the CA. */
  tls?: DevCertificates;
}

/**
 * A private nats-server with testNatsUsers of a fresh prefix, so a service started on it runs as
 * its own user with its allow-lists. The returned connection is the test's own user's. cleanup()
 * stops the server, then throws when it refused anybody anything: a missing permission.
 */
export async function useNatsWithUsers(options: NatsWithUsersOptions = {}): Promise<TestNatsWithUsers> {
  const prefix = newTestPrefix();
  const dir = await mkdtemp(join(tmpdir(), 'reserveit-nats-users-'));
  const configFile = join(dir, 'nats.conf');
  const logFile = join(dir, 'nats.log');
  const users = testNatsUsers(prefix);
  await writeFile(configFile, users.config);
  let server: NatsServer;
  try {
    server = await startNatsServer({
      configFile,
      env: users.env,
      ...(options.tls && { tls: { certFile: options.tls.certFile, keyFile: options.tls.keyFile } }),
      extraArgs: ['--name', `reserveit-${prefix}`, '-l', logFile],
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const violations = () => natsRefusals(logFile);
  const nc = await connect({
    servers: server.url,
    name: 'reserveit-test',
    user: TEST_NATS_USER,
    pass: TEST_NATS_PASSWORD,
    ...(options.tls && { tls: { caFile: options.tls.caFile } }),
  }).catch(async (error: unknown) => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: server.url,
    nc,
    js: jetstream(nc),
    jsm: await jetstreamManager(nc),
    prefix,
    server,
    violations,
    cleanup: async () => {
      const refused = options.refusalsExpected ? [] : await violations();
      try {
        await nc.close();
      } finally {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      }
      if (refused.length > 0) throw new Error(`NATS refused a user something:\n${refused.join('\n')}`);
    },
  };
}

export interface SecuredNats extends TestNatsWithUsers {
  /** The development certificates its clients and the services' gRPC servers use. */
  certs: DevCertificates;
}

/**
 * As production runs: useNatsWithUsers over TLS with development certificates made for this run
 * (removed by cleanup()); hand `certs` to startSystem's `tls` so gRPC is encrypted too.
 */
export async function useSecuredNats(options: Omit<NatsWithUsersOptions, 'tls'> = {}): Promise<SecuredNats> {
  const dir = await mkdtemp(join(tmpdir(), 'reserveit-secured-nats-'));
  try {
    const certs = await ensureDevCertificates(dir);
    const nats = await useNatsWithUsers({ ...options, tls: certs });
    return {
      ...nats,
      certs,
      cleanup: async () => {
        try {
          await nats.cleanup();
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
