import { readFileSync } from 'node:fs';
import { NATS_USERS, type NatsUser, natsInboxPrefix } from '@reserveit/contracts';
import { z } from 'zod';
import { ConfigError } from './env.js';

/**
 * Development passwords of the NATS users (deploy/nats/users.conf): public, here so the local
 * stack and the tests run with users on and without configuration; production refuses them.
 */
export const DEV_NATS_PASSWORDS: Readonly<Record<NatsUser, string>> = Object.fromEntries(
  NATS_USERS.map((user) => [user, `dev-nats-${user}`]),
) as Record<NatsUser, string>;

const devPasswords = new Set(Object.values(DEV_NATS_PASSWORDS));

/** Who a process is on NATS; spread into a service's schema (commonEnv) and the ops CLI's. */
export const natsAuthEnv = {
  /** The NATS user (deploy/nats/users.conf); the service's own name when unset. */
  NATS_USER: z.enum(NATS_USERS).optional(),
  /** Its password; or NATS_PASSWORD_FILE, a file holding it (a mounted Secret). Development: `dev-nats-<user>`. */
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_PASSWORD_FILE: z.string().min(1).optional(),
};

interface NatsAuthSettings {
  NODE_ENV?: string;
  NATS_PREFIX: string;
  NATS_USER?: NatsUser | undefined;
  NATS_PASSWORD?: string | undefined;
  NATS_PASSWORD_FILE?: string | undefined;
}

export interface NatsCredentials {
  user: NatsUser;
  password: string;
  /** Where its replies arrive: the only subject its user may subscribe to. */
  inboxPrefix: string;
}

function readPasswordFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`NATS_PASSWORD_FILE: cannot read ${path} (${(error as Error).message})`);
  }
}

/**
 * The user, password and inbox prefix a process connects with: NATS_USER (else `user`, the
 * service's own), NATS_PASSWORD, else the file NATS_PASSWORD_FILE names, else the development one.
 */
export function natsCredentials(settings: NatsAuthSettings, user: NatsUser): NatsCredentials {
  const name = settings.NATS_USER ?? user;
  const password =
    settings.NATS_PASSWORD ??
    (settings.NATS_PASSWORD_FILE ? readPasswordFile(settings.NATS_PASSWORD_FILE) : DEV_NATS_PASSWORDS[name]);
  if (settings.NODE_ENV === 'production' && devPasswords.has(password)) {
    throw new ConfigError('NATS_PASSWORD: the development password is refused in production');
  }
  return { user: name, password, inboxPrefix: natsInboxPrefix(name, settings.NATS_PREFIX) };
}

/** Production refuses a development NATS password, or none at all (which means the development one). */
export function refuseDevNatsPassword(
  env: { NODE_ENV: string; NATS_PASSWORD?: string | undefined; NATS_PASSWORD_FILE?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (env.NODE_ENV !== 'production') return;
  if (env.NATS_PASSWORD_FILE !== undefined && env.NATS_PASSWORD === undefined) {
    let content: string;
    try {
      content = readPasswordFile(env.NATS_PASSWORD_FILE);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['NATS_PASSWORD_FILE'], message: (error as Error).message });
      return;
    }
    if (devPasswords.has(content))
      ctx.addIssue({
        code: 'custom',
        path: ['NATS_PASSWORD_FILE'],
        message: 'holds a development password (refused in production)',
      });
    return;
  }
  if (env.NATS_PASSWORD === undefined || devPasswords.has(env.NATS_PASSWORD))
    ctx.addIssue({
      code: 'custom',
      path: ['NATS_PASSWORD'],
      message:
        "set this service's own NATS password or NATS_PASSWORD_FILE (the development one is refused in production)",
    });
}
