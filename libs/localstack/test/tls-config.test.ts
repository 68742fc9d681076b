import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  grpcClientTls,
  grpcServerTls,
  loadConversationConfig,
  loadIngressConfig,
  loadOpsConfig,
  loadReservationConfig,
  natsTls,
} from '@reserveit/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCertificates, ensureDevCertificates } from '../src/index.js';

// The TLS variables of libs/config (tls.ts), checked here because this package makes the
// development certificates they point at (libs/config cannot depend on it: it depends on config).
let root: string;
let certs: DevCertificates;
let other: DevCertificates;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reserveit-tls-config-'));
  certs = await ensureDevCertificates(join(root, 'a'));
  other = await ensureDevCertificates(join(root, 'b'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const failure = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

// What production needs besides TLS (its own keys and database), so only TLS can fail.
const PRODUCTION = {
  NODE_ENV: 'production',
  NATS_PASSWORD: 'a-production-nats-password-0123456789',
  DATABASE_URL: 'postgres://reserveit:Zq8-long-generated@reserveit-pg-rw:5432/reserveit',
  RPC_TRUSTED_KEYS: 'conversation=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
  RPC_SIGNING_KEY: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8',
  CONVERSATION_ID_KEY: 'a-conversation-id-key-of-production',
  WHATSAPP_APP_SECRET: 'a-production-app-secret-0123456789',
  WHATSAPP_VERIFY_TOKEN: 'a-production-verify-token-0123456789',
};

describe('TLS configuration', () => {
  it('is plaintext when unset (development and tests)', () => {
    const config = loadConversationConfig({});
    expect(grpcServerTls(config)).toBeUndefined();
    expect(grpcClientTls(config)).toBeUndefined();
    expect(natsTls(config)).toBeUndefined();
  });

  it('reads the files at start: the server its certificate and key, clients the CA, NATS the paths', () => {
    const config = loadConversationConfig({
      GRPC_TLS_CERT_FILE: certs.certFile,
      GRPC_TLS_KEY_FILE: certs.keyFile,
      GRPC_TLS_CA_FILE: certs.caFile,
      NATS_TLS_CA_FILE: certs.caFile,
    });
    expect(grpcServerTls(config)?.cert.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(grpcServerTls(config)?.key.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(grpcClientTls(config)?.ca.toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(natsTls(config)).toEqual({ caFile: certs.caFile });
  });

  it('names the variable of a missing or wrong file, a certificate without its key, and a key of another certificate', () => {
    expect(
      failure(() =>
        loadReservationConfig({
          GRPC_TLS_CERT_FILE: join(root, 'nope.pem'),
          GRPC_TLS_KEY_FILE: certs.keyFile,
        }),
      ),
    ).toMatch(/GRPC_TLS_CERT_FILE: cannot read certificate file .*nope\.pem \(ENOENT\)/);
    expect(failure(() => loadIngressConfig({ NATS_TLS_CA_FILE: certs.keyFile }))).toMatch(
      /NATS_TLS_CA_FILE: .* does not hold a PEM certificate/,
    );
    expect(failure(() => loadReservationConfig({ GRPC_TLS_CERT_FILE: certs.certFile }))).toMatch(
      /GRPC_TLS_KEY_FILE: set together with GRPC_TLS_CERT_FILE/,
    );
    expect(
      failure(() =>
        loadReservationConfig({ GRPC_TLS_CERT_FILE: certs.certFile, GRPC_TLS_KEY_FILE: other.keyFile }),
      ),
    ).toMatch(/GRPC_TLS_KEY_FILE: is not the private key of GRPC_TLS_CERT_FILE/);
  });

  it('never echoes what a bad file holds', async () => {
    const secretish = join(root, 'secret.pem');
    await writeFile(secretish, 'hunter2-not-a-certificate');
    expect(failure(() => loadIngressConfig({ NATS_TLS_CA_FILE: secretish }))).not.toContain('hunter2');
  });

  it('production refuses plaintext gRPC and NATS unless GRPC_TLS=off / NATS_TLS=off says a mesh encrypts', () => {
    const message = failure(() => loadConversationConfig(PRODUCTION));
    expect(message).toMatch(/GRPC_TLS_CERT_FILE: production needs gRPC TLS/);
    expect(message).toMatch(/GRPC_TLS_CA_FILE: production needs gRPC TLS/);
    expect(message).toMatch(/NATS_TLS_CA_FILE: production needs NATS TLS/);
    expect(() => loadConversationConfig({ ...PRODUCTION, GRPC_TLS: 'off', NATS_TLS: 'off' })).not.toThrow();
    expect(() =>
      loadConversationConfig({
        ...PRODUCTION,
        GRPC_TLS_CERT_FILE: certs.certFile,
        GRPC_TLS_KEY_FILE: certs.keyFile,
        GRPC_TLS_CA_FILE: certs.caFile,
        NATS_TLS_CA_FILE: certs.caFile,
      }),
    ).not.toThrow();
  });

  it('refuses a switch that contradicts the files, and GRPC_TLS=on without them', () => {
    expect(failure(() => loadOpsConfig({ NATS_TLS: 'off', NATS_TLS_CA_FILE: certs.caFile }))).toMatch(
      /NATS_TLS_CA_FILE: contradicts NATS_TLS=off/,
    );
    expect(failure(() => loadOpsConfig({ GRPC_TLS: 'on' }))).toMatch(
      /GRPC_TLS_CA_FILE: GRPC_TLS=on needs it/,
    );
    expect(failure(() => loadReservationConfig({ GRPC_TLS: 'yes' }))).toMatch(/GRPC_TLS/);
  });
});
