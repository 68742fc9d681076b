import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEV_RPC_KEYS,
  loadConsoleConfig,
  loadConversationConfig,
  loadIngressConfig,
  loadIntentConfig,
  loadReservationConfig,
} from '../src/index.js';

// Production as these tests need it: TLS acknowledged off (a mesh encrypts), so only the secrets
// are checked here; libs/localstack/test/tls-config.test.ts checks production's TLS.
const PRODUCTION = { NODE_ENV: 'production', GRPC_TLS: 'off', NATS_TLS: 'off' } as const;

// Keys of no development pair (any 32 bytes in base64url will do for the config), and a database
// URL production takes.
const DATABASE_URL = 'postgres://reserveit:Zq8-long-generated@reserveit-pg-rw:5432/reserveit';
const OWN_PUBLIC = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const OWN_SEED = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8';

describe('RPC_SIGNING_KEY and RPC_TRUSTED_KEYS', () => {
  it('default to the development key pairs, so the local stack and the tests need no configuration', () => {
    expect(loadReservationConfig({}).RPC_TRUSTED_KEYS).toEqual([
      { caller: 'conversation', publicKey: DEV_RPC_KEYS.conversation.publicKey },
      { caller: 'console', publicKey: DEV_RPC_KEYS.console.publicKey },
      { caller: 'ops', publicKey: DEV_RPC_KEYS.ops.publicKey },
      { caller: 'ingress', publicKey: DEV_RPC_KEYS.ingress.publicKey },
    ]);
    expect(loadConversationConfig({}).RPC_SIGNING_KEY).toBe(DEV_RPC_KEYS.conversation.privateKey);
    expect(loadIngressConfig({}).RPC_SIGNING_KEY).toBe(DEV_RPC_KEYS.ingress.privateKey);
    expect(loadConsoleConfig({}).RPC_SIGNING_KEY).toBe(DEV_RPC_KEYS.console.privateKey);
  });

  it('reads several keys of one caller (a rotation) and refuses unknown callers and malformed keys', () => {
    const trusted = loadIntentConfig({
      RPC_TRUSTED_KEYS: `conversation=${OWN_PUBLIC}, conversation=${DEV_RPC_KEYS.conversation.publicKey}`,
    }).RPC_TRUSTED_KEYS;
    expect(trusted.map((entry) => entry.caller)).toEqual(['conversation', 'conversation']);
    expect(() => loadIntentConfig({ RPC_TRUSTED_KEYS: `stranger=${OWN_PUBLIC}` })).toThrow(ConfigError);
    expect(() => loadIntentConfig({ RPC_TRUSTED_KEYS: 'conversation=short' })).toThrow(ConfigError);
    expect(() => loadConsoleConfig({ RPC_SIGNING_KEY: 'not-a-key' })).toThrow(ConfigError);
  });

  it('skips token verification only for benchmarks (NODE_ENV=test)', () => {
    expect(loadIntentConfig({}).RPC_VERIFY_CALLERS).toBe(true);
    expect(loadIntentConfig({ NODE_ENV: 'test', RPC_VERIFY_CALLERS: 'false' }).RPC_VERIFY_CALLERS).toBe(
      false,
    );
    expect(() => loadIntentConfig({ RPC_VERIFY_CALLERS: 'false' })).toThrow(/RPC_VERIFY_CALLERS/);
    expect(() =>
      loadReservationConfig({ NODE_ENV: 'production', DATABASE_URL, RPC_VERIFY_CALLERS: 'false' }),
    ).toThrow(/RPC_VERIFY_CALLERS/);
  });

  it('refuses the development keys in production, naming the variable and never its value', () => {
    const production = {
      ...PRODUCTION,
      DATABASE_URL,
      CONVERSATION_ID_KEY: 'a-production-secret-key',
      RPC_SIGNING_KEY: OWN_SEED,
      RPC_TRUSTED_KEYS: `console=${OWN_PUBLIC}`,
      NATS_PASSWORD: 'own-nats-password',
    };
    expect(loadConversationConfig(production).RPC_SIGNING_KEY).toBe(OWN_SEED);
    const devSigning = () =>
      loadConversationConfig({ ...production, RPC_SIGNING_KEY: DEV_RPC_KEYS.conversation.privateKey });
    expect(devSigning).toThrow(/RPC_SIGNING_KEY/);
    expect(devSigning).not.toThrow(new RegExp(DEV_RPC_KEYS.conversation.privateKey));
    expect(() => loadConversationConfig({ ...production, RPC_SIGNING_KEY: undefined })).toThrow(
      /RPC_SIGNING_KEY/,
    );
    expect(() => loadReservationConfig({ ...PRODUCTION, DATABASE_URL })).toThrow(/RPC_TRUSTED_KEYS/);
    expect(() =>
      loadReservationConfig({
        ...PRODUCTION,
        DATABASE_URL,
        RPC_TRUSTED_KEYS: `console=${OWN_PUBLIC},ops=${DEV_RPC_KEYS.ops.publicKey}`,
      }),
    ).toThrow(/RPC_TRUSTED_KEYS/);
    expect(
      loadReservationConfig({
        ...PRODUCTION,
        DATABASE_URL,
        RPC_TRUSTED_KEYS: `console=${OWN_PUBLIC}`,
        NATS_PASSWORD: 'own-nats-password',
      }),
    ).toBeTruthy();
    expect(() => loadConsoleConfig({ ...PRODUCTION, DATABASE_URL })).toThrow(/RPC_SIGNING_KEY/);
  });
});
