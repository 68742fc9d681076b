import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

// DER headers of an Ed25519 key (RFC 8410): the config holds only the 32 raw bytes, base64url.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const raw32 = (value: string, what: string): Buffer => {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 32) throw new Error(`${what} must be 32 bytes in base64url`);
  return bytes;
};

/** A private key from its 32-byte seed (RPC_SIGNING_KEY). */
export const ed25519PrivateKey = (seed: string): KeyObject =>
  createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, raw32(seed, 'an Ed25519 private key')]),
    format: 'der',
    type: 'pkcs8',
  });

/** A public key from its 32 bytes (an entry of RPC_TRUSTED_KEYS). */
export const ed25519PublicKey = (key: string): KeyObject =>
  createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, raw32(key, 'an Ed25519 public key')]),
    format: 'der',
    type: 'spki',
  });
