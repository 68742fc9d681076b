import { NATS_USERS, type NatsUser } from './nats-access.js';
import { type NatsPermissions, natsPermissions } from './nats-permissions.js';
import type { Topology } from './topology.js';

/**
 * The environment variable nats-server reads a user's password from: the rendered config says
 * `password: $NATS_PASSWORD_INGRESS`, and nats-server resolves a `$NAME` it does not define in the
 * file from its environment (https://docs.nats.io/running-a-nats-service/configuration#variables).
 */
export const natsPasswordVariable = (user: NatsUser | string) => `NATS_PASSWORD_${user.toUpperCase()}`;

/** A user beyond the services', e.g. a test harness's administrator with its own permissions. */
export interface ExtraNatsUser {
  user: string;
  permissions: NatsPermissions | 'all';
}

/** One subject a line, so a change of the wiring table shows in a diff as the lines it adds. */
const quoted = (subjects: readonly string[]) =>
  `[\n${subjects.map((s) => `            ${JSON.stringify(s)}`).join('\n')}\n          ]`;

function renderUser(user: string, permissions: NatsPermissions | 'all'): string {
  const head = `    {\n      user: ${user}\n      password: $${natsPasswordVariable(user)}\n`;
  if (permissions === 'all') return `${head}    }`;
  const deny =
    permissions.publish.deny.length > 0 ? `\n          deny: ${quoted(permissions.publish.deny)}` : '';
  return (
    `${head}      permissions: {\n` +
    `        publish: {\n          allow: ${quoted(permissions.publish.allow)}${deny}\n        }\n` +
    `        subscribe: {\n          allow: ${quoted(permissions.subscribe.allow)}\n        }\n` +
    '      }\n    }'
  );
}

/**
 * nats-server's `authorization` block with every service's user for `topology`'s deployment
 * (deploy/nats/users.conf is this for the empty prefix; tests render it for theirs).
 */
export function renderNatsUsersConf(topology: Topology, extra: readonly ExtraNatsUser[] = []): string {
  const permissions = natsPermissions(topology);
  const users = [
    ...NATS_USERS.map((user) => renderUser(user, permissions[user])),
    ...extra.map((entry) => renderUser(entry.user, entry.permissions)),
  ];
  return (
    '# Generated from libs/contracts (nats-permissions.ts, the wiring table) by `pnpm nats:users`;\n' +
    '# do not edit. One user per service; passwords come from the environment (NATS_PASSWORD_<USER>).\n' +
    `authorization {\n  users: [\n${users.join('\n')}\n  ]\n}\n`
  );
}
