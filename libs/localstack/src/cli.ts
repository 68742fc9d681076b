#!/usr/bin/env node
import { CERTS_USAGE, cliCerts } from './cli-certs.js';
import { cliPostgres } from './cli-postgres.js';
import { cliSend, SEND_USAGE } from './cli-send.js';
import { cliUp, UP_USAGE } from './cli-up.js';

const COMMANDS = {
  up: {
    usage: UP_USAGE,
    what: 'start the local stack in dependency order (all processes, or the named ones and their deps);\n      restarts a process that exits on its own, Ctrl-C stops everything',
    run: cliUp,
  },
  postgres: {
    usage: 'postgres [--port 5433] [--data-dir .local/postgres] [--temporary]',
    what: "embedded Postgres in the foreground (used by the stack's postgres process)",
    run: cliPostgres,
  },
  certs: {
    usage: CERTS_USAGE,
    what: 'make (or reuse) the development certificates in .local/certs; print the TLS variables as JSON (Tilt with LOCAL_TLS=1)',
    run: cliCerts,
  },
  send: {
    usage: SEND_USAGE,
    what: 'POST a signed WhatsApp text-message webhook to the ingress (of the running stack unless --url)',
    run: cliSend,
  },
} as const;

const isCommand = (name: string | undefined): name is keyof typeof COMMANDS =>
  name !== undefined && Object.hasOwn(COMMANDS, name);

const describe = (name: keyof typeof COMMANDS) => `  ${COMMANDS[name].usage}\n      ${COMMANDS[name].what}`;

const USAGE = `usage: reserveit-stack <command>   (--help after a command: its usage)
${(Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]).map(describe).join('\n')}`;

/** `-h`/`--help` anywhere before a `--`. */
const asksForHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command)) {
    if (asksForHelp(rest)) {
      console.log(`usage: reserveit-stack ${COMMANDS[command].usage}\n      ${COMMANDS[command].what}`);
      return 0;
    }
    return COMMANDS[command].run(rest);
  }
  const help = command === undefined || command === 'help' || asksForHelp([command]);
  if (help) console.log(USAGE);
  else console.error(`unknown command "${command}"\n${USAGE}`);
  return help ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
