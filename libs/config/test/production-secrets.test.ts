import { describe, expect, it } from 'vitest';
import {
  loadConsoleConfig,
  loadConversationConfig,
  loadIngressConfig,
  loadIntentConfig,
  loadReservationConfig,
  loadSenderConfig,
} from '../src/index.js';
import { ownFlowKeyFile } from './own-flow-key.js';

// Production as these tests need it: TLS acknowledged off (a mesh encrypts), so only the secrets
// are checked here; libs/localstack/test/tls-config.test.ts checks production's TLS.
const PRODUCTION = { NODE_ENV: 'production', GRPC_TLS: 'off', NATS_TLS: 'off' } as const;

const DATABASE_URL = 'postgres://reserveit:Zq8-long-generated@reserveit-pg-rw:5432/reserveit';
// A caller's own Ed25519 key and the callers' own public keys (32 bytes, base64url), none of them
// the development pairs.
const RPC_SIGNING_KEY = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8';
const RPC_TRUSTED_KEYS = 'conversation=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
// The service's own NATS password, none of the development ones (DEV_NATS_PASSWORDS).
const NATS_PASSWORD = 'generated-nats-password-0123456789';
const WHATSAPP_FLOW_PRIVATE_KEY_FILE = ownFlowKeyFile();

/**
 * Each service's loader, the secret variables production refuses to take from development (every
 * *_KEY, *_TOKEN, *_SECRET and credential of libs/config), and own values that it accepts.
 */
const SERVICES = [
  {
    name: 'ingress',
    load: loadIngressConfig,
    refused: [
      'WHATSAPP_APP_SECRET',
      'WHATSAPP_VERIFY_TOKEN',
      'WHATSAPP_FLOW_PRIVATE_KEY_FILE',
      'RPC_SIGNING_KEY',
      'NATS_PASSWORD',
    ],
    own: {
      NATS_PASSWORD,
      WHATSAPP_APP_SECRET: 'from-meta',
      WHATSAPP_VERIFY_TOKEN: 'typed-into-meta',
      WHATSAPP_FLOW_PRIVATE_KEY_FILE,
      RPC_SIGNING_KEY,
    },
  },
  {
    name: 'intent',
    load: loadIntentConfig,
    refused: ['DATABASE_URL', 'RPC_TRUSTED_KEYS', 'NATS_PASSWORD'],
    own: { NATS_PASSWORD, DATABASE_URL, RPC_TRUSTED_KEYS },
  },
  {
    name: 'reservation',
    load: loadReservationConfig,
    refused: ['DATABASE_URL', 'RPC_TRUSTED_KEYS', 'NATS_PASSWORD'],
    own: { NATS_PASSWORD, DATABASE_URL, RPC_TRUSTED_KEYS },
  },
  {
    name: 'conversation',
    load: loadConversationConfig,
    refused: ['DATABASE_URL', 'CONVERSATION_ID_KEY', 'RPC_TRUSTED_KEYS', 'RPC_SIGNING_KEY', 'NATS_PASSWORD'],
    own: {
      NATS_PASSWORD,
      DATABASE_URL,
      CONVERSATION_ID_KEY: 'a-generated-key-of-32-characters',
      RPC_TRUSTED_KEYS,
      RPC_SIGNING_KEY,
    },
  },
  {
    name: 'sender',
    load: loadSenderConfig,
    refused: ['DATABASE_URL', 'WHATSAPP_ACCESS_TOKEN', 'NATS_PASSWORD'],
    own: { NATS_PASSWORD, DATABASE_URL, WHATSAPP_ACCESS_TOKEN: 'EAAG-system-user-token' },
  },
  {
    name: 'console',
    load: loadConsoleConfig,
    refused: ['DATABASE_URL', 'CONSOLE_DEV_LOGIN', 'RPC_SIGNING_KEY', 'NATS_PASSWORD'],
    own: { NATS_PASSWORD, DATABASE_URL, RPC_SIGNING_KEY },
    development: { CONSOLE_DEV_LOGIN: 'owner@example.com:password1' },
  },
] as const;

describe('production refuses the development secrets', () => {
  it.each(SERVICES)('$name names every development secret it is given, and no other variable', (service) => {
    const development = 'development' in service ? service.development : {};
    const attempt = () => service.load({ ...PRODUCTION, ...development });
    expect(attempt).toThrow();
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    const named = [...message.matchAll(/^ {2}([A-Z_]+):/gm)].map((match) => match[1]);
    expect(named.sort()).toEqual([...service.refused].sort());
  });

  it.each(SERVICES)('$name starts in production with secrets of its own', (service) => {
    expect(service.load({ ...PRODUCTION, ...service.own }).NODE_ENV).toBe('production');
  });

  it.each(SERVICES)('$name keeps every development default outside production', (service) => {
    const development = 'development' in service ? service.development : {};
    expect(service.load({ ...development }).NODE_ENV).toBe('development');
  });

  it('takes a database URL as a development one when it is the default or carries the local stack password', () => {
    const refused = (url: string) => {
      try {
        loadReservationConfig({ ...PRODUCTION, DATABASE_URL: url, RPC_TRUSTED_KEYS, NATS_PASSWORD });
        return false;
      } catch {
        return true;
      }
    };
    expect(refused('postgres://postgres@127.0.0.1:5432/postgres')).toBe(true);
    expect(refused('postgres://postgres:postgres@127.0.0.1:5433/postgres')).toBe(true);
    expect(refused('postgresql://app:postgres@db.internal/reserveit')).toBe(true);
    expect(refused(DATABASE_URL)).toBe(false);
    expect(refused('postgres://postgres:other@127.0.0.1:5432/postgres')).toBe(false);
    expect(refused('host=/run/postgresql dbname=reserveit')).toBe(false);
  });
});
