import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEV_NATS_PASSWORDS,
  loadIngressConfig,
  loadOpsConfig,
  loadReplayConfig,
  natsCredentials,
} from '../src/index.js';
import { ownFlowKeyFile } from './own-flow-key.js';

const dir = mkdtempSync(join(tmpdir(), 'nats-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const OWN = {
  WHATSAPP_APP_SECRET: 'from-meta',
  WHATSAPP_VERIFY_TOKEN: 'typed-into-meta',
  WHATSAPP_FLOW_PRIVATE_KEY_FILE: ownFlowKeyFile(),
  RPC_SIGNING_KEY: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8',
};

describe('NATS credentials', () => {
  it("defaults to the service's own user, its development password and an inbox of its own under the prefix", () => {
    expect(natsCredentials(loadIngressConfig({}), 'ingress')).toEqual({
      user: 'ingress',
      password: DEV_NATS_PASSWORDS.ingress,
      inboxPrefix: '_INBOX.ingress',
    });
    expect(natsCredentials(loadIngressConfig({ NATS_PREFIX: 't1' }), 'ingress').inboxPrefix).toBe(
      '_INBOX_t1.ingress',
    );
    // The replay entries ops starts run as ops, with what ops was given.
    const replay = loadReplayConfig({ NATS_USER: 'ops', NATS_PASSWORD: 'ops-own' });
    expect(natsCredentials(replay, 'ops')).toMatchObject({ user: 'ops', password: 'ops-own' });
    expect(natsCredentials(loadOpsConfig({}), 'ops').password).toBe(DEV_NATS_PASSWORDS.ops);
  });

  it('reads the password from NATS_PASSWORD_FILE (trimmed), and names the variable when it cannot', () => {
    const path = file('password', 'from-a-mounted-secret\n');
    expect(natsCredentials(loadIngressConfig({ NATS_PASSWORD_FILE: path }), 'ingress').password).toBe(
      'from-a-mounted-secret',
    );
    expect(() =>
      natsCredentials(loadIngressConfig({ NATS_PASSWORD_FILE: join(dir, 'missing') }), 'ingress'),
    ).toThrow(/NATS_PASSWORD_FILE: cannot read/);
  });

  it('refuses in production a development password, in the variable or the file, and none at all', () => {
    // TLS acknowledged off (ingress is a gRPC client of reservation too): only the password rule is under test here.
    const production = { NODE_ENV: 'production', NATS_TLS: 'off', GRPC_TLS: 'off', ...OWN };
    expect(() => loadIngressConfig(production)).toThrow(/NATS_PASSWORD/);
    expect(() =>
      loadIngressConfig({ ...production, NATS_PASSWORD: DEV_NATS_PASSWORDS.conversation }),
    ).toThrow(/NATS_PASSWORD/);
    expect(() =>
      loadIngressConfig({ ...production, NATS_PASSWORD_FILE: file('dev', DEV_NATS_PASSWORDS.ingress) }),
    ).toThrow(/NATS_PASSWORD_FILE/);
    expect(() => loadIngressConfig({ ...production, NATS_PASSWORD_FILE: join(dir, 'missing') })).toThrow(
      /NATS_PASSWORD_FILE/,
    );
    const own = loadIngressConfig({ ...production, NATS_PASSWORD_FILE: file('own', 'generated-0123456789') });
    expect(natsCredentials(own, 'ingress').password).toBe('generated-0123456789');
  });

  it('takes only the users deploy/nats/users.conf has', () => {
    expect(() => loadIngressConfig({ NATS_USER: 'admin' })).toThrow(/NATS_USER/);
  });
});
