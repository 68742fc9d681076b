import { describe, expect, it } from 'vitest';
import { ConfigError, loadIngressConfig, loadIntentConfig, projectsMemory } from '../src/index.js';
import { ownFlowKeyFile } from './own-flow-key.js';

// Production as these tests need it: TLS acknowledged off (a mesh encrypts), so only the secrets
// are checked here; libs/localstack/test/tls-config.test.ts checks production's TLS.
const PRODUCTION = { NODE_ENV: 'production', GRPC_TLS: 'off', NATS_TLS: 'off' } as const;

describe('loadIngressConfig', () => {
  it('runs the local stack with no environment at all', () => {
    const config = loadIngressConfig({});
    expect(config).toMatchObject({
      INGRESS_PORT: 8080,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_PREFIX: '',
      WHATSAPP_APP_SECRET: ['dev-app-secret'],
      INGRESS_BODY_LIMIT_BYTES: 4 * 1024 * 1024,
    });
  });

  it('splits a comma-separated app secret list for rotation', () => {
    expect(loadIngressConfig({ WHATSAPP_APP_SECRET: 'new-secret, old-secret' }).WHATSAPP_APP_SECRET).toEqual([
      'new-secret',
      'old-secret',
    ]);
  });

  it('names every bad variable without echoing its value', () => {
    const attempt = () =>
      loadIngressConfig({ INGRESS_PORT: 'eighty', NATS_PREFIX: 'a.b', WHATSAPP_APP_SECRET: ' , ' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/INGRESS_PORT/);
      expect(message).toMatch(/NATS_PREFIX/);
      expect(message).toMatch(/WHATSAPP_APP_SECRET/);
      expect(message).not.toContain('eighty');
    }
  });

  it('refuses the development secrets in production', () => {
    expect(() => loadIngressConfig({ ...PRODUCTION })).toThrow(
      /WHATSAPP_APP_SECRET[\s\S]*WHATSAPP_VERIFY_TOKEN/,
    );
    expect(
      loadIngressConfig({
        ...PRODUCTION,
        WHATSAPP_APP_SECRET: 's3cret',
        WHATSAPP_VERIFY_TOKEN: 'mine',
        NATS_PASSWORD: 'own-nats-password',
        WHATSAPP_FLOW_PRIVATE_KEY_FILE: ownFlowKeyFile(),
        RPC_SIGNING_KEY: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8',
      }).NODE_ENV,
    ).toBe('production');
  });
});

describe('projectsMemory', () => {
  const llm = {
    INTENT_PROVIDER: 'llm',
    INTENT_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
    INTENT_LLM_MODEL: 'm',
  };

  it('projects conversation memory by default only where the llm provider reads it', () => {
    expect(projectsMemory(loadIntentConfig({}))).toBe(false);
    expect(projectsMemory(loadIntentConfig(llm))).toBe(true);
  });

  it('follows an explicit INTENT_MEMORY_PROJECTOR whatever the provider', () => {
    expect(projectsMemory(loadIntentConfig({ INTENT_MEMORY_PROJECTOR: 'true' }))).toBe(true);
    expect(projectsMemory(loadIntentConfig({ ...llm, INTENT_MEMORY_PROJECTOR: 'false' }))).toBe(false);
    expect(() => loadIntentConfig({ INTENT_MEMORY_PROJECTOR: 'yes' })).toThrow(/INTENT_MEMORY_PROJECTOR/);
  });
});
