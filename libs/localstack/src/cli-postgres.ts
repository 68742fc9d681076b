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
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const env = parseCliEnv();
  const explicitPort = values.port ? Number(values.port) : env.POSTGRES_PORT;
  let port = explicitPort ?? 5433;
  if (explicitPort === undefined && (await portInUse(port))) {
    const fallback = await freePort();
    console.log(`port ${port} is busy, using ${fallback}`);
    port = fallback;
  }
  const dataDir = resolve(values['data-dir'] ?? '.local/postgres');
  const pg = await startEmbeddedPostgres({
    port,
    dataDir,
    persistent: true,
    password: env.POSTGRES_PASSWORD ?? 'postgres',
  });
  console.log(`embedded Postgres ready: ${maskUrlPassword(pg.url)} (data in ${dataDir})`);
  await new Promise<void>((done) => {
    const shutdown = () => {
      pg.stop().then(done, done);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}
