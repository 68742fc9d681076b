import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Flow private key of our own (not the development one), in a PEM file as production mounts
 * it, for the tests that start a service in production.
 */
export function ownFlowKeyFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flow-key-')), 'flow-private-key.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  return path;
}
