#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { cliStackEnv, loadCliGrpcTls, loadCliSigningKey } from '@reserveit/config';
import { bookingFlowIdSchema, menuItemSchema, openingHoursSchema } from '@reserveit/contracts';
import { callerOptions, channelCredentials, errorCodeOf, type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { z } from 'zod';
import { followUpsToProto } from './grpc/follow-ups.js';
import { hoursToProto, menuItemToProto } from './grpc/mapping.js';
import { readSeed, type SeedBusiness } from './seed.js';

/**
 * `reserveit-business add|list|hours|menu|flow`: registers and edits restaurants without SQL. It talks
 * to the running service over gRPC rather than appending events itself, so the service's deciders
 * stay the only writers (phone_number_id uniqueness, validation, optimistic concurrency) and the
 * CLI needs no NATS access — only the gRPC address.
 */
const USAGE = `usage: reserveit-business [--address host:port] <command>
  add --file <seed.json>              register every business of a seed-shaped file
  list                                list registered businesses
  hours <business-id>                 print opening hours
  hours <business-id> --file <hours.json>   replace opening hours
  menu <business-id> [--category c]   print the menu
  menu <business-id> --set <item.json>      add or change one item
  menu <business-id> --remove <item-id>     remove one item
  flow <business-id>                  print the booking Flow id guests are offered
  flow <business-id> --set <flow-id>  offer Meta's published Flow with that id
  flow <business-id> --clear          offer no Flow (guests book by typing)
address: --address, else RESERVATION_GRPC_ADDRESS, else the running local stack's (pnpm stack up),
else 127.0.0.1:50051`;

const out = (text: string) => process.stdout.write(`${text}\n`);

const call = <Req, Res>(
  client: ReservationServiceClient,
  method: UnaryMethod<Req, Res>,
  request: Req,
): Promise<Res> => unaryCall(client, method, request, 10_000);

async function json<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(JSON.parse(await readFile(path, 'utf8')));
}

function businessRequest(entry: SeedBusiness) {
  const { profile } = entry;
  return {
    business: {
      id: entry.id,
      name: profile.name,
      phoneNumberId: profile.phoneNumberId,
      displayPhoneNumber: profile.displayPhoneNumber,
      timezone: profile.timezone,
      locales: profile.locales,
      greetings: profile.greetings,
      rules: profile.rules,
      hours: hoursToProto(entry.hours),
      bookingFlowId: profile.bookingFlowId,
      followUps: followUpsToProto(profile.followUps),
    },
    menu: entry.menu.map(menuItemToProto),
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      address: { type: 'string' },
      file: { type: 'string' },
      set: { type: 'string' },
      remove: { type: 'string' },
      category: { type: 'string' },
      clear: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, businessId] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const found = cliStackEnv(['RESERVATION_GRPC_ADDRESS', 'GRPC_TLS_CA_FILE']);
  const address = values.address ?? found.env.RESERVATION_GRPC_ADDRESS ?? '127.0.0.1:50051';
  const where = values.address ? '' : found.describe({ RESERVATION_GRPC_ADDRESS: address });
  if (where) process.stderr.write(`reserveit-business: ${where}\n`);
  const client = new ReservationServiceClient(
    address,
    channelCredentials(loadCliGrpcTls(found.env)),
    callerOptions('ops', loadCliSigningKey()),
  );
  try {
    switch (command) {
      case 'add': {
        if (!values.file) throw new Error('add needs --file <seed.json>');
        for (const entry of (await readSeed(values.file)).businesses) {
          try {
            await call(client, client.registerBusiness, businessRequest(entry));
            out(`registered ${entry.id} (${entry.profile.name})`);
          } catch (error) {
            if (errorCodeOf(error) !== 'BUSINESS_EXISTS') throw error;
            out(`${entry.id} is registered already`);
          }
        }
        return 0;
      }
      case 'list': {
        const { businesses } = await call(client, client.listBusinesses, {});
        for (const b of businesses)
          out(
            `${b.id}\t${b.name}\tphone_number_id=${b.phoneNumberId}\t${b.timezone}\t${b.locales.join(',')}`,
          );
        return 0;
      }
      case 'hours': {
        if (!businessId) throw new Error('hours needs a business id');
        if (values.file) {
          const hours = await json(values.file, openingHoursSchema);
          await call(client, client.setOpeningHours, { businessId, hours: hoursToProto(hours) });
        }
        const { business } = await call(client, client.getBusiness, { businessId });
        out(JSON.stringify(business?.hours, null, 2));
        return 0;
      }
      case 'menu': {
        if (!businessId) throw new Error('menu needs a business id');
        if (values.set) {
          const item = await json(values.set, menuItemSchema);
          await call(client, client.setMenuItem, { businessId, item: menuItemToProto(item) });
          out(`set ${item.itemId}`);
          return 0;
        }
        if (values.remove) {
          await call(client, client.removeMenuItem, { businessId, itemId: values.remove });
          out(`removed ${values.remove}`);
          return 0;
        }
        const { categories } = await call(client, client.getMenu, {
          businessId,
          category: values.category ?? '',
        });
        for (const category of categories) {
          out(category.name);
          for (const item of category.items) {
            const price = `${(item.priceMinor / 100).toFixed(2)} ${item.currency}`;
            out(
              `  ${item.id}\t${item.name}\t${price}${item.available ? '' : '\t(unavailable)'}\t${item.dietaryTags.join(',')}`,
            );
          }
        }
        return 0;
      }
      case 'flow': {
        if (!businessId) throw new Error('flow needs a business id');
        if (values.set !== undefined && values.clear)
          throw new Error('flow takes --set or --clear, not both');
        const change = values.clear ? '' : values.set;
        // The update answers with the business as decided; a read could come before the projection has it.
        const { business } =
          change === undefined
            ? await call(client, client.getBusiness, { businessId })
            : await call(client, client.updateBusinessSettings, {
                businessId,
                greetings: {},
                hasGreetings: false,
                bookingFlowId: bookingFlowIdSchema.parse(change),
              });
        out(business?.bookingFlowId ? `booking Flow ${business.bookingFlowId}` : 'no booking Flow');
        return 0;
      }
      default:
        out(USAGE);
        return 2;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code !== status.UNAVAILABLE) throw error;
    throw new Error(
      `reservation.v1 at ${address} did not answer (${(error as Error).message}); is the reservation service running? --address or RESERVATION_GRPC_ADDRESS says where it listens`,
    );
  } finally {
    client.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = errorCodeOf(error);
    const message =
      error instanceof z.ZodError ? `invalid input:\n${z.prettifyError(error)}` : (error as Error).message;
    process.stderr.write(`reserveit-business: ${code ? `${code}: ` : ''}${message}\n`);
    process.exit(1);
  },
);
