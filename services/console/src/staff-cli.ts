#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import {
  cliStackEnv,
  type GrpcClientTls,
  loadCliGrpcTls,
  loadCliSigningKey,
  maskUrlPassword,
} from '@reserveit/config';
import { businessId as businessIdSchema, roleSchema } from '@reserveit/console-api';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { callerOptions, channelCredentials, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type ConsoleDb, migrations, SCHEMA } from './database.js';
import { StaffAccounts } from './staff-accounts.js';

/**
 * `reserveit-console-staff add|list|remove`: staff accounts without the web app, for the first
 * owner of a restaurant and for scripts (`reserveit-ops staff …` runs this). It writes the console's
 * tables directly (migrating them first, so it works before the console ever ran) and asks the
 * reservation service that the restaurant exists.
 */
const USAGE = `usage: reserveit-console-staff <command>
  add --business <id> --email <email> --role owner|host [--name <name>]
        give the account the role at the restaurant; a new account gets a one-time password,
        printed once: sign in to the console with it and change it (your name in the top bar)
  list --business <id>                  the restaurant's staff
  remove --business <id> --email <email>  take the account off the restaurant
environment: DATABASE_URL and RESERVATION_GRPC_ADDRESS, else the running local stack's (pnpm stack up),
else postgres://postgres@127.0.0.1:5432/postgres and 127.0.0.1:50051`;

const out = (text: string) => process.stdout.write(`${text}\n`);

class UsageError extends Error {}

const options = {
  business: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function required<T>(schema: z.ZodType<T>, value: string | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${flag}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

async function checkBusiness(
  address: string,
  tls: GrpcClientTls | undefined,
  businessId: string,
): Promise<void> {
  const client = new ReservationServiceClient(
    address,
    channelCredentials(tls),
    callerOptions('ops', loadCliSigningKey()),
  );
  try {
    await unaryCall(client, client.getBusiness, { businessId }, 10_000);
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === status.NOT_FOUND)
      throw new Error(`no restaurant has the id ${businessId} (reserveit-ops business list)`);
    throw new Error(
      `the reservation service at ${address} did not answer (${(error as Error).message}); start it, or set RESERVATION_GRPC_ADDRESS`,
    );
  } finally {
    client.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options, allowPositionals: true });
  const command = positionals[0];
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 64;
  }
  const found = cliStackEnv(['DATABASE_URL', 'RESERVATION_GRPC_ADDRESS', 'GRPC_TLS_CA_FILE']);
  const databaseUrl = found.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const reservationAddress = found.env.RESERVATION_GRPC_ADDRESS || '127.0.0.1:50051';
  const where = found.describe({
    DATABASE_URL: maskUrlPassword(databaseUrl),
    RESERVATION_GRPC_ADDRESS: reservationAddress,
  });
  if (where) process.stderr.write(`reserveit-console-staff: ${where}\n`);
  const businessId = required(businessIdSchema, values.business, '--business');
  const db = createDatabase<ConsoleDb>({
    url: databaseUrl,
    applicationName: 'console-staff-cli',
    maxConnections: 2,
  });
  try {
    await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
    const staff = new StaffAccounts(db);
    switch (command) {
      case 'add': {
        const email = required(z.email('an email address'), values.email?.trim().toLowerCase(), '--email');
        const role = required(roleSchema, values.role, '--role');
        await checkBusiness(reservationAddress, loadCliGrpcTls(found.env), businessId);
        const added = await staff.add({
          email,
          name: values.name?.trim() || email.split('@')[0] || email,
          businessId,
          role,
        });
        out(`${added.member.email} is ${role} of ${businessId}.`);
        if (added.oneTimePassword) {
          out(`One-time password (shown only now): ${added.oneTimePassword}`);
          out(
            'Sign in to the console with it, then change it: your name in the top bar opens the password dialog.',
          );
        } else {
          out('The account existed already and keeps its password.');
        }
        return 0;
      }
      case 'list': {
        for (const member of await staff.members(businessId))
          out(`${member.role}\t${member.email}\t${member.name}`);
        return 0;
      }
      case 'remove': {
        const email = required(z.email('an email address'), values.email?.trim().toLowerCase(), '--email');
        const member = (await staff.members(businessId)).find((m) => m.email === email);
        if (!member || !(await staff.removeMembership(businessId, member.staffId))) {
          throw new UsageError(`${email} is not staff of ${businessId}`);
        }
        out(`${email} no longer works at ${businessId}.`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`reserveit-console-staff: ${(error as Error).message}\n${USAGE}\n`);
      process.exit(64);
    }
    process.stderr.write(`reserveit-console-staff: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
