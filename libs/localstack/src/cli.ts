#!/usr/bin/env node
import { cliPostgres } from './cli-postgres.js';
import { cliSend, SEND_USAGE } from './cli-send.js';
import { cliUp } from './cli-up.js';

const USAGE = `usage: reserveit-stack <command>
  up [process...] [--config deploy/local/stack.json] [--root <repo root>]
      start the local stack in dependency order (all processes, or the named ones and their deps)
  postgres [--port 5433] [--data-dir .local/postgres]
      embedded Postgres in the foreground (used by the stack's postgres process)
  ${SEND_USAGE}
      POST a signed WhatsApp text-message webhook to the ingress`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return cliUp(rest);
    case 'postgres':
      return cliPostgres(rest);
    case 'send':
      return cliSend(rest);
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
