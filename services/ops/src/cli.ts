#!/usr/bin/env node
import { type ConfigError, cliStackEnv, loadOpsConfig, type OpsConfig } from '@reserveit/config';
import { metaIdSchema } from '@reserveit/contracts';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { businessCommand } from './commands/business.js';
import { dlqList, dlqPurge, dlqRedrive, dlqShow } from './commands/dlq.js';
import { replayCommand } from './commands/replay.js';
import { staffCommand } from './commands/staff.js';
import { streamsCommand } from './commands/streams.js';
import { traceCommand } from './commands/trace.js';
import type { DeadLetterFilter } from './dead-letters.js';
import { parseDuration } from './duration.js';
import { EXIT, OpsError } from './exit-codes.js';
import { note } from './output.js';
import { PROJECTIONS } from './replay/projections.js';

const ENVIRONMENT = `
Environment:
  NATS_URL          NATS server(s), comma-separated (default: the running local stack's, else
                    nats://127.0.0.1:4222)
  NATS_PREFIX       the deployment's stream/subject prefix (default empty)
  NATS_USER, NATS_PASSWORD (or NATS_PASSWORD_FILE)
                    the NATS user (default ops, with its development password); the replays
                    it starts connect with the same
  DATABASE_URL      Postgres of the services' schemas, handed to the services' entries that
                    replay and reset sender outbox rows (default: the running local stack's, else
                    postgres://postgres@127.0.0.1:5432/postgres)
  CONVERSATION_GRPC_ADDRESS
                    the conversation service's gRPC API, where trace locates a message (default:
                    the running local stack's, else 127.0.0.1:50053)
  JAEGER_UI_URL     where trace links point (default http://localhost:16686)
  LOCAL_STACK_FILE  where \`pnpm stack up\` records the running local stack (default
                    .local/running-stack.json of this checkout)

Exit codes: 0 ok, 1 failed, 2 a consumer lags past --max-lag, 3 nothing or not all done
(dry run without --yes, refused dead letters), 64 bad command line.`;

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
};
const duration = (value: string) => {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const wamidArgument = (value: string) => {
  const parsed = metaIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not a wamid');
  return parsed.data;
};
const instant = (value: string) => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected an ISO-8601 instant');
  return new Date(value).toISOString();
};

interface FilterFlags {
  consumer?: string;
  error?: string;
  olderThan?: number;
  newerThan?: number;
}

const filterOf = (flags: FilterFlags, seqs: readonly string[] = []): DeadLetterFilter => ({
  consumer: flags.consumer,
  error: flags.error,
  olderThanMs: flags.olderThan,
  newerThanMs: flags.newerThan,
  seqs: seqs.map((seq) => positiveInt(seq)),
});

const withFilters = (command: Command) =>
  command
    .option(
      '--consumer <name>',
      'only dead letters of this consumer (e.g. conversation, sender, reservation-projector)',
    )
    .option('--error <text>', 'only those whose error contains this text (case-insensitive)')
    .option(
      '--older-than <duration>',
      'only those dead-lettered at least this long ago (90s, 15m, 2h, 7d)',
      duration,
    )
    .option('--newer-than <duration>', 'only those dead-lettered at most this long ago', duration);

/** The services' API addresses a command may ask (libs/config/src/ops.ts). */
type ServiceApi = 'CONVERSATION_GRPC_ADDRESS';

/** Every action returns its exit code; `run` sets it (and prints errors without stacks). */
export function buildProgram(
  config: (apis?: readonly ServiceApi[]) => OpsConfig,
  exit: (code: number) => void,
): Command {
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      exit(await action(...args));

  const program = new Command('reserveit-ops')
    .description(
      'Operate Reserve It: streams and lag, dead letters, message traces, projection replays, businesses',
    )
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENVIRONMENT);

  program
    .command('streams')
    .description(
      'every stream and consumer of the deployment: messages, bytes, pending, ack-pending, redeliveries, last activity',
    )
    .addOption(
      new Option('--max-lag <n>', 'exit 2 when a consumer has more than n messages pending')
        .default(1000)
        .argParser(positiveInt),
    )
    .option('--json', 'machine-readable output')
    .action(
      run((opts: { maxLag: number; json?: boolean }) =>
        streamsCommand(config(), { maxLag: opts.maxLag, json: !!opts.json }),
      ),
    );

  const dlq = program
    .command('dlq')
    .description('dead letters (DEADLETTERS stream): list, show, redrive, purge')
    .addHelpText(
      'after',
      '\nDead letters carry Dlq-* headers: where they came from (stream, sequence, subject, Msg-Id), the consumer, the error and the number of tries.',
    );

  withFilters(dlq.command('list').description('list dead letters, oldest first'))
    .option('--json', 'machine-readable output')
    .action(run((opts: FilterFlags & { json?: boolean }) => dlqList(config(), filterOf(opts), !!opts.json)));

  dlq
    .command('show')
    .description('one dead letter: its headers and its payload (phone numbers masked)')
    .argument('<seq>', 'sequence in the DEADLETTERS stream (see dlq list)', positiveInt)
    .option('--json', 'machine-readable output')
    .action(run((seq: number, opts: { json?: boolean }) => dlqShow(config(), seq, !!opts.json)));

  withFilters(
    dlq
      .command('redrive')
      .description(
        'publish dead letters again on their original subject (original headers, new Msg-Id <msg id>:redrive:<seq>), then remove them',
      )
      .argument('[seqs...]', 'dead-letter sequences; or select with filters, or --all'),
  )
    .option('--all', 'every dead letter')
    .option(
      '--reset-outbox',
      "for the sender's dead letters: reset the failed outbox row so the sender sends it again (a republished command alone sends nothing)",
    )
    .option('--json', 'machine-readable output')
    .addHelpText(
      'after',
      '\nEvery consumer of the original subject sees a redriven message again; each dedupes by event id in its Postgres inbox.\nExit 3 when some dead letters were not redriven (the reason is printed).',
    )
    .action(
      run((seqs: string[], opts: FilterFlags & { all?: boolean; resetOutbox?: boolean; json?: boolean }) =>
        dlqRedrive(config(), filterOf(opts, seqs), {
          all: !!opts.all,
          resetOutbox: !!opts.resetOutbox,
          json: !!opts.json,
        }),
      ),
    );

  withFilters(
    dlq
      .command('purge')
      .description('remove dead letters for good (lists them and exits 3 unless --yes)')
      .argument('[seqs...]', 'dead-letter sequences; or select with filters, or --all'),
  )
    .option('--all', 'every dead letter')
    .option('--yes', 'really remove them')
    .option('--json', 'machine-readable output')
    .action(
      run((seqs: string[], opts: FilterFlags & { all?: boolean; yes?: boolean; json?: boolean }) =>
        dlqPurge(config(), filterOf(opts, seqs), { all: !!opts.all, yes: !!opts.yes, json: !!opts.json }),
      ),
    );

  program
    .command('trace')
    .description(
      "one inbound message's trace id, Jaeger link and journey: received, interpreted, reserved, replied, sent, delivered, read",
    )
    .argument('<wamid>', "the inbound message's WhatsApp id (its Nats-Msg-Id)", wamidArgument)
    .option(
      '--window <duration>',
      'how long after receipt to look for its effects',
      duration,
      parseDuration('1h'),
    )
    .option(
      '--since <duration>',
      'when the conversation service cannot locate the message, scan only inbound messages this recent',
      duration,
    )
    .option('--json', 'machine-readable output')
    .action(
      run((wamid: string, opts: { window: number; since?: number; json?: boolean }) =>
        traceCommand(config(['CONVERSATION_GRPC_ADDRESS']), wamid, {
          windowMs: opts.window,
          sinceMs: opts.since,
          json: !!opts.json,
        }),
      ),
    );

  program
    .command('replay')
    .description(
      `rebuild a projection from its stream (${Object.keys(PROJECTIONS).join(', ')}): into shadow tables while the live ones serve and the projector consumes, then swapped in atomically; conversation only --in-place, with the service stopped`,
    )
    .argument('<projection>', Object.keys(PROJECTIONS).join(' | '))
    .option(
      '--from-seq <n>',
      'start at this stream sequence instead of 1 (earlier events are left out)',
      positiveInt,
    )
    .option('--from-time <iso>', 'start at the first event stored at or after this instant', instant)
    .option('--in-place', 'simple path: empty the live tables and replay into them (stop the service first)')
    .option('--force', 'with --in-place: even while the live projector is consuming')
    .option('--drop-old', 'drop the replaced tables after the swap (kept by default, for a rollback)')
    .addOption(
      new Option('--swap-gap <n>', 'catch up until at most n events behind, then swap')
        .default(1000)
        .argParser(positiveInt),
    )
    .option('--json', 'machine-readable summary')
    .action(
      run(
        (
          projection: string,
          opts: {
            fromSeq?: number;
            fromTime?: string;
            inPlace?: boolean;
            force?: boolean;
            dropOld?: boolean;
            swapGap: number;
            json?: boolean;
          },
        ) =>
          replayCommand(config(), projection, {
            fromSeq: opts.fromSeq,
            fromTime: opts.fromTime,
            inPlace: !!opts.inPlace,
            force: !!opts.force,
            dropOld: !!opts.dropOld,
            swapGap: opts.swapGap,
            json: !!opts.json,
          }),
      ),
    );

  program
    .command('business')
    .description(
      'register and edit restaurants over the reservation service gRPC API: add | list | hours | menu',
    )
    .argument('[args...]', 'passed to reserveit-business; `business --help` prints its usage')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(run((args: string[]) => businessCommand(args.length === 0 ? ['--help'] : args)));

  program
    .command('staff')
    .description("the staff console's accounts: add (prints a one-time password) | list | remove")
    .argument('[args...]', 'passed to reserveit-console-staff; `staff --help` prints its usage')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(run((args: string[]) => staffCommand(args.length === 0 ? ['--help'] : args)));

  return program;
}

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  let loaded: OpsConfig | undefined;
  // Loaded by the first command that connects (never for --help), with the running local stack's
  // NATS_URL, DATABASE_URL and the service APIs the command asks when the environment does not set
  // them; the line on stderr names only those.
  const config = (apis: readonly ServiceApi[] = []) => {
    if (loaded === undefined) {
      const found = cliStackEnv([
        'NATS_URL',
        'DATABASE_URL',
        'NATS_TLS_CA_FILE',
        'GRPC_TLS_CA_FILE',
        ...apis,
      ]);
      const values = loadOpsConfig(found.env);
      loaded = values;
      const where = found.describe({
        NATS_URL: values.NATS_URL,
        DATABASE_URL: values.DATABASE_URL,
        ...Object.fromEntries(apis.map((name) => [name, values[name]])),
      });
      if (where) note(`reserveit-ops: ${where}`);
    }
    return loaded;
  };
  try {
    const program = buildProgram(config, (value) => {
      code = value;
    });
    program.exitOverride();
    program.commands.forEach(function override(command: Command) {
      command.exitOverride();
      command.commands.forEach(override);
    });
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage errors were printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof OpsError) {
      note(`reserveit-ops: ${error.message}`);
      return error.exitCode;
    }
    if ((error as ConfigError).name === 'ConfigError') {
      note(`reserveit-ops: ${(error as Error).message}`);
      return EXIT.usage;
    }
    note(`reserveit-ops: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
