import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseCliEnv } from './cli-env.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { freePort, portInUse } from './free-port.js';
import { maskUrlPassword } from './mask-url.js';

/** Embedded Postgres in the foreground until SIGINT/SIGTERM; data kept in --data-dir. */
export async function cliPostgres(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, temporary: { type: 'boolean' } },
  });
  const env = parseCliEnv();
  const explicitPort = values.port ? Number(values.port) : env.POSTGRES_PORT;
  let port = explicitPort ?? 5433;
  if (explicitPort === undefined && (await portInUse(port))) {
    const fallback = await freePort();
    console.log(`port ${port} is busy, using ${fallback}`);
    port = fallback;
  }
  // --temporary: a throwaway cluster in a temp dir, removed on stop (tests).
  const dataDir = values.temporary ? undefined : resolve(values['data-dir'] ?? '.local/postgres');
  // Listening from the start: a signal during initdb would otherwise end this process before it
  // removes a --temporary directory ('exit' handlers do not run on a signal's default action).
  let stopped = false;
  let stop = () => {
    stopped = true;
  };
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
  const pg = await startEmbeddedPostgres({
    port,
    dataDir,
    persistent: !values.temporary,
    password: env.POSTGRES_PASSWORD ?? 'postgres',
    log: (line) => console.log(line),
  });
  if (!stopped) {
    console.log(`embedded Postgres ready: ${maskUrlPassword(pg.url)} (data in ${pg.dataDir})`);
    await new Promise<void>((done) => {
      stop = done;
    });
  }
  await pg.stop();
  return 0;
}
