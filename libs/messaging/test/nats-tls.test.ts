import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DevCertificates,
  ensureDevCertificates,
  type NatsServer,
  startNatsServer,
} from '@reserveit/localstack';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectNats } from '../src/index.js';

// NATS over TLS with the development certificates, against a private nats-server (issue 16).
let root: string;
let certs: DevCertificates;
let stranger: DevCertificates;
let server: NatsServer;
const logger = pino({ level: 'silent' });
// The server has no users: the credentials every service passes are ignored by it.
const credentials = { user: 'tls-test', password: 'unused', inboxPrefix: '_INBOX' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reserveit-nats-tls-'));
  certs = await ensureDevCertificates(join(root, 'ours'));
  stranger = await ensureDevCertificates(join(root, 'theirs'));
  server = await startNatsServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile } });
});
afterAll(async () => {
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

it('connects with the CA, and messages go through the encrypted connection', async () => {
  const nc = await connectNats({
    url: server.url,
    name: 'tls-test',
    logger,
    credentials,
    tls: { caFile: certs.caFile },
  });
  try {
    expect(nc.info?.tls_required).toBe(true);
    const sub = nc.subscribe('tls.echo', { max: 1 });
    nc.publish('tls.echo', 'over tls');
    for await (const message of sub) expect(message.string()).toBe('over tls');
  } finally {
    await nc.close();
  }
});

it('fails with another CA, and without one (nats.js then upgrades with the system roots, which do not know ours)', async () => {
  await expect(
    connectNats({ url: server.url, name: 'tls-test', logger, credentials, tls: { caFile: stranger.caFile } }),
  ).rejects.toThrow(/unable to verify the first certificate/);
  await expect(connectNats({ url: server.url, name: 'tls-test', logger, credentials })).rejects.toThrow(
    /unable to verify the first certificate/,
  );
});
