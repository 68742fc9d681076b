import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { type IssuedPem, issueDevCa, issueDevServerCert } from './dev-cert-issue.js';

/** Where ensureDevCertificates put the PEM files; the names match libs/config's TLS variables. */
export interface DevCertificates {
  dir: string;
  /** GRPC_TLS_CA_FILE / NATS_TLS_CA_FILE. */
  caFile: string;
  /** GRPC_TLS_CERT_FILE / NATS_TLS_CERT_FILE (and nats-server's --tlscert). */
  certFile: string;
  /** GRPC_TLS_KEY_FILE / NATS_TLS_KEY_FILE (and nats-server's --tlskey); mode 0600. */
  keyFile: string;
  /** True when the files were already there and still good. */
  reused: boolean;
}

export interface DevCertificateOptions {
  /** Extra DNS names or IP addresses besides localhost, 127.0.0.1 and ::1. */
  names?: string[];
  now?: Date;
}

const DEFAULT_DEV_CERT_NAMES = ['localhost', '127.0.0.1', '::1'];
/** A certificate that expires within this is made anew rather than reused. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;

const FILES = { caCert: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' };

async function readPem(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written beside and renamed into place, so a reader never sees half a file. */
async function writePem(path: string, pem: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, pem, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

const fresh = (cert: X509Certificate, now: Date): boolean =>
  new Date(cert.validFrom).getTime() <= now.getTime() &&
  new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;

const covers = (cert: X509Certificate, name: string): boolean =>
  isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name, { wildcards: false }) !== undefined;

/** The CA as read, when it is a CA, not near expiry, and its key matches; otherwise undefined. */
function usableCa(pem: Partial<IssuedPem>, now: Date): IssuedPem | undefined {
  if (!pem.certPem || !pem.keyPem) return undefined;
  try {
    const cert = new X509Certificate(pem.certPem);
    if (!cert.ca || !fresh(cert, now) || !cert.checkPrivateKey(createPrivateKey(pem.keyPem)))
      return undefined;
    return { certPem: pem.certPem, keyPem: pem.keyPem };
  } catch {
    return undefined;
  }
}

function usableServerCert(pem: Partial<IssuedPem>, ca: IssuedPem, names: string[], now: Date): boolean {
  if (!pem.certPem || !pem.keyPem) return false;
  try {
    const cert = new X509Certificate(pem.certPem);
    return (
      cert.verify(new X509Certificate(ca.certPem).publicKey) &&
      fresh(cert, now) &&
      cert.checkPrivateKey(createPrivateKey(pem.keyPem)) &&
      names.every((name) => covers(cert, name))
    );
  } catch {
    return false;
  }
}

/**
 * A development CA and a server certificate for localhost, 127.0.0.1, ::1 and `names` in `dir`
 * (created 0700 when missing). Files that are still good (parse, key matches, signed by the CA,
 * cover every name, more than a week left) are reused, so a client that trusted the CA once keeps
 * trusting it; otherwise only what is not good is made anew. Keys are written 0600.
 */
export async function ensureDevCertificates(
  dir: string,
  opts: DevCertificateOptions = {},
): Promise<DevCertificates> {
  const now = opts.now ?? new Date();
  const names = [...new Set([...DEFAULT_DEV_CERT_NAMES, ...(opts.names ?? [])])];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = (name: keyof typeof FILES) => join(dir, FILES[name]);
  const result = { dir, caFile: path('caCert'), certFile: path('cert'), keyFile: path('key') };

  const existingCa = usableCa(
    { certPem: await readPem(path('caCert')), keyPem: await readPem(path('caKey')) },
    now,
  );
  const ca = existingCa ?? (await issueDevCa(now));
  if (!existingCa) {
    await writePem(path('caKey'), ca.keyPem, 0o600);
    await writePem(path('caCert'), ca.certPem, 0o644);
  }
  const server = { certPem: await readPem(path('cert')), keyPem: await readPem(path('key')) };
  if (existingCa && usableServerCert(server, ca, names, now)) return { ...result, reused: true };
  const issued = await issueDevServerCert(ca, names, now);
  await writePem(path('key'), issued.keyPem, 0o600);
  await writePem(path('cert'), issued.certPem, 0o644);
  return { ...result, reused: false };
}
