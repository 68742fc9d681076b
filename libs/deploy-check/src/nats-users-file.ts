import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NATS_USERS,
  type NatsUser,
  natsPasswordVariable,
  natsPermissions,
  renderNatsUsersConf,
  topology,
} from '@reserveit/contracts';
import { stringify } from 'yaml';

/** deploy/nats/users.conf: the production (empty prefix) users, included by every deploy/nats config. */
export const natsUsersFile = (root: string) => join(root, 'deploy', 'nats', 'users.conf');

/** The same users as values of the NATS Helm chart, given after values.yaml. */
export const natsUsersValuesFile = (root: string) =>
  join(root, 'deploy', 'k8s', 'infra', 'nats', 'values-users.yaml');

/** What deploy/nats/users.conf must hold: the rendering of the wiring table's users. */
export const natsUsersConf = (): string => renderNatsUsersConf(topology(''));

/** The key of reserveit-secrets holding a NATS user's password (services and nats-server read it). */
export const natsPasswordSecretKey = (user: NatsUser) => `nats-password-${user}`;

/**
 * What deploy/k8s/infra/nats/values-users.yaml must hold. The chart writes a `<< … >>` string
 * unquoted into nats.conf, so `<< $NATS_PASSWORD_INGRESS >>` is nats-server's environment
 * reference, and `container.env` fills it from the Secret (nats-io/k8s, chart "nats" 1.x README:
 * "Using environment variables").
 */
export function natsUsersValues(): string {
  const permissions = natsPermissions(topology(''));
  const values = {
    config: {
      merge: {
        authorization: {
          users: NATS_USERS.map((user) => ({
            user,
            password: `<< $${natsPasswordVariable(user)} >>`,
            permissions: {
              publish: {
                allow: permissions[user].publish.allow,
                ...(permissions[user].publish.deny.length > 0
                  ? { deny: permissions[user].publish.deny }
                  : {}),
              },
              subscribe: permissions[user].subscribe,
            },
          })),
        },
      },
    },
    container: {
      env: Object.fromEntries(
        NATS_USERS.map((user) => [
          natsPasswordVariable(user),
          { valueFrom: { secretKeyRef: { name: 'reserveit-secrets', key: natsPasswordSecretKey(user) } } },
        ]),
      ),
    },
  };
  return (
    '# Generated from libs/contracts (nats-permissions.ts, the wiring table) by `pnpm nats:users`; do\n' +
    '# not edit. The users of deploy/nats/users.conf for the NATS Helm chart, passwords from the Secret\n' +
    '# reserveit-secrets:\n' +
    '#   helm upgrade --install nats nats/nats -n reserveit -f values.yaml -f values-users.yaml\n' +
    stringify(values, { lineWidth: 0 })
  );
}

/** `pnpm nats:users`: writes both files again after a change of the wiring table or nats-access.ts. */
export function writeNatsUsersFiles(root: string): string[] {
  writeFileSync(natsUsersFile(root), natsUsersConf());
  writeFileSync(natsUsersValuesFile(root), natsUsersValues());
  return [natsUsersFile(root), natsUsersValuesFile(root)];
}
