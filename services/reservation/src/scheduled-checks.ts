import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { type FreeConsumer, parseWorkDue } from '@reserveit/contracts';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import type { Counter, Logger } from '@reserveit/telemetry';
import type { BookingCommands } from './booking-commands.js';
import { RejectedError } from './rejected-error.js';

export interface ScheduledChecksDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  row: FreeConsumer;
  bookings: Pick<BookingCommands, 'checkNoShow'>;
  logger: Logger;
  checked: Counter<'outcome'>;
}

/**
 * The scheduler's no-show checks (row `reservation.scheduled`): each is decided on the booking's
 * day aggregate (`checkNoShow`, services/reservation/src/domain/day.ts), which flags a guest not
 * seated, or marks them no-show when the restaurant chose so, and changes nothing the second time.
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
      if (work.kind !== 'no_show_check') return count('not_handled');
      try {
        const booking = await deps.bookings.checkNoShow({
          reservationId: work.reservationId,
          businessId: work.businessId,
          startsAt: work.startsAt,
        });
        count(booking ? 'checked' : 'disabled');
      } catch (error) {
        if (!(error instanceof RejectedError)) throw error;
        count(`refused_${error.rejection.code.toLowerCase()}`);
      }
    },
  });
}
