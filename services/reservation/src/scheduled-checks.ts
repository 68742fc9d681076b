import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { type FreeConsumer, parseWorkDue } from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import type { Counter, Logger } from '@reserveit/telemetry';
import type { BookingCommands } from './booking-commands.js';
import { RejectedError } from './rejected-error.js';
import type { WaitlistCommands } from './waitlist-commands.js';

export interface ScheduledChecksDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  row: FreeConsumer;
  bookings: Pick<BookingCommands, 'checkNoShow'>;
  waitlist: Pick<WaitlistCommands, 'expire'>;
  logger: Logger;
  checked: Counter<'outcome'>;
}

/**
 * The scheduler's work for the day aggregates (row `reservation.scheduled`), each decided on its
 * day (services/reservation/src/domain): a no-show check (`checkNoShow`) flags a guest not seated,
 * or marks them no-show when the restaurant chose so; a waitlist offer's expiry (`expire`) ends a
 * hold nobody took and offers the covers to the next party. Both change nothing the second time.
 * Other work is acknowledged and counted; a booking gone or refused is an outcome, not a retry.
 */
export function startScheduledChecks(deps: ScheduledChecksDeps): Promise<RunningConsumer> {
  const count = (outcome: string) => deps.checked.inc({ outcome });
  return consumeFree(deps.row, {
    js: deps.js,
    jsm: deps.jsm,
    logger: deps.logger,
    handler: async (message) => {
      let parsed: ReturnType<typeof parseWorkDue>;
      try {
        parsed = parseWorkDue(message.json<unknown>());
      } catch {
        return count('unreadable');
      }
      if (!parsed.ok) return count('unreadable');
      const { work } = parsed.event;
      try {
        switch (work.kind) {
          case 'no_show_check': {
            const booking = await deps.bookings.checkNoShow({
              reservationId: work.reservationId,
              businessId: work.businessId,
              startsAt: work.startsAt,
            });
            return count(booking ? 'checked' : 'disabled');
          }
          case 'waitlist_offer_expiry': {
            const { replayed } = await deps.waitlist.expire({
              businessId: work.businessId,
              date: work.serviceDate,
              entryId: work.entryId,
            });
            // Replayed: the offer was taken, left or expired before; nothing changed.
            return count(replayed ? 'offer_settled' : 'offer_expired');
          }
          default:
            return count('not_handled');
        }
      } catch (error) {
        if (!(error instanceof RejectedError)) throw error;
        count(`refused_${error.rejection.code.toLowerCase()}`);
      }
    },
  });
}
