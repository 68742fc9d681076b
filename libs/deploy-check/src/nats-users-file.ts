import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderNatsUsersConf, topology } from '@reserveit/contracts';

/** deploy/nats/users.conf: the production (empty prefix) users, included by every deploy/nats config. */
export const natsUsersFile = (root: string) => join(root, 'deploy', 'nats', 'users.conf');

/** What deploy/nats/users.conf must hold: the rendering of the wiring table's users. */
export const natsUsersConf = (): string => renderNatsUsersConf(topology(''));

/** `pnpm nats:users`: writes the file again after a change of the wiring table or nats-access.ts. */
export function writeNatsUsersFile(root: string): string {
  const file = natsUsersFile(root);
  writeFileSync(file, natsUsersConf());
  return file;
}
