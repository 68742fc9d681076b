import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ensureDevCertificates } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'reserveit-dev-certs-')), 'certs');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

/** Opens a TLS connection to a node:tls server holding the certificate; resolves the error or 'ok'. */
async function handshake(
  files: { certFile: string; keyFile: string },
  host: string,
  ca: string | undefined,
): Promise<string> {
  const server: Server = createServer(
    {
      cert: await readFile(files.certFile),
      key: await readFile(files.keyFile),
    },
    (socket) => socket.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  try {
    return await new Promise<string>((resolve) => {
      const socket = connect({
        host,
        port: address.port,
        ca,
        servername: host.includes(':') || /^\d/.test(host) ? undefined : host,
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('ok');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

it('makes a CA and a server certificate for localhost, 127.0.0.1, ::1 and the given names, keys 0600', async () => {
  const certs = await ensureDevCertificates(dir, { names: ['nats.reserveit.test', '10.1.2.3'] });
  expect(certs.reused).toBe(false);
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  expect((await stat(certs.keyFile)).mode & 0o777).toBe(0o600);
  expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
  const ca = new X509Certificate(await readFile(certs.caFile));
  const cert = new X509Certificate(await readFile(certs.certFile));
  expect(ca.ca).toBe(true);
  expect(cert.ca).toBe(false);
  expect(cert.verify(ca.publicKey)).toBe(true);
  for (const host of ['localhost', 'nats.reserveit.test']) expect(cert.checkHost(host)).toBe(host);
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) expect(cert.checkIP(ip)).toBe(ip);
  expect(cert.checkHost('example.com')).toBeUndefined();
  expect(await readFile(certs.keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
});

it('a TLS client trusting the CA connects to localhost and 127.0.0.1; one that does not is refused', async () => {
  const certs = await ensureDevCertificates(dir);
  const ca = await readFile(certs.caFile, 'utf8');
  expect(await handshake(certs, '127.0.0.1', ca)).toBe('ok');
  expect(await handshake(certs, 'localhost', ca)).toBe('ok');
  expect(await handshake(certs, '127.0.0.1', undefined)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

it('reuses good files, re-issues only the server certificate for a new name, and everything near expiry', async () => {
  const first = await ensureDevCertificates(dir);
  const read = async () => ({
    ca: await readFile(first.caFile, 'utf8'),
    cert: await readFile(first.certFile, 'utf8'),
    key: await readFile(first.keyFile, 'utf8'),
  });
  const before = await read();
  expect((await ensureDevCertificates(dir)).reused).toBe(true);
  expect(await read()).toEqual(before);

  const renamed = await ensureDevCertificates(dir, { names: ['conversation'] });
  expect(renamed.reused).toBe(false);
  const afterName = await read();
  expect(afterName.ca).toBe(before.ca);
  expect(afterName.cert).not.toBe(before.cert);
  expect(new X509Certificate(afterName.cert).checkHost('conversation')).toBe('conversation');

  const inAYear = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  expect((await ensureDevCertificates(dir, { now: inAYear })).reused).toBe(false);
  const late = await read();
  expect(late.ca).not.toBe(before.ca);
  expect(new X509Certificate(late.cert).verify(new X509Certificate(late.ca).publicKey)).toBe(true);
});

it('replaces a damaged key file instead of serving it', async () => {
  const certs = await ensureDevCertificates(dir);
  await writeFile(certs.keyFile, 'not a key');
  const again = await ensureDevCertificates(dir);
  expect(again.reused).toBe(false);
  const cert = new X509Certificate(await readFile(again.certFile));
  const { createPrivateKey } = await import('node:crypto');
  expect(cert.checkPrivateKey(createPrivateKey(await readFile(again.keyFile)))).toBe(true);
});
