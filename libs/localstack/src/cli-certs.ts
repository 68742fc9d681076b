import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevCertificates } from './dev-certs.js';
import { devTlsEnv, LOCAL_CERTS_DIR } from './dev-tls-env.js';
import { findRepoRoot } from './repo-root.js';

export const CERTS_USAGE = 'certs [--external-nats] [--root <repo root>]';

/**
 * Makes (or reuses) the development certificates `up --tls` uses and prints the variables that turn
 * TLS on, as one JSON object: what the Tiltfile reads under LOCAL_TLS=1, so Tilt and the plain
 * runner use the same certificates. `--external-nats`: NATS_URL is given, so no nats-server of
 * ours takes TLS and no client is told to expect it.
 */
export async function cliCerts(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { root: { type: 'string' }, 'external-nats': { type: 'boolean' } },
  });
  const rootDir = values.root ? resolve(values.root) : findRepoRoot();
  const certs = await ensureDevCertificates(join(rootDir, LOCAL_CERTS_DIR));
  console.log(JSON.stringify(devTlsEnv(certs, { startsNats: values['external-nats'] !== true })));
  return 0;
}
