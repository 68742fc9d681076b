import { unaryCall } from '@reserveit/rpc';
import { GuestAnswer, type Reservation, type Slot } from '@reserveit/rpc/reservation/v1/reservation';
import type { Call, CallResult, ReservationSummary, SlotOption } from './dialogue/index.js';
import type { MenuCatalog } from './menu-catalog.js';
import { failureCode, type Upstreams } from './upstreams.js';

const ALTERNATIVES_KEY = 'reserveit-alternatives';

/** Runs one call the dialogue asked for and says what came of it (a refusal is a result, not a throw). */
export type CallExecutor = (call: Call) => Promise<CallResult>;

export interface CallContext {
  businessId: string;
  /** The guest identity the reservation service files bookings under. */
  guestId: string;
  deadlineMs: number;
}

/** Runs the dialogue's calls against reservation.v1; refusals come back as results with their code. */
export function reservationCalls(
  upstreams: Upstreams,
  menus: MenuCatalog,
  context: CallContext,
): CallExecutor {
  const { reservation: client } = upstreams;
  const { businessId, guestId, deadlineMs } = context;
  return async (request: Call): Promise<CallResult> => {
    switch (request.kind) {
      case 'checkAvailability':
        return settled('availability', async () => {
          const response = await unaryCall(
            client,
            client.checkAvailability,
            {
              businessId,
              partySize: request.partySize,
              date: request.date,
              windowStart: '',
              windowEnd: '',
              preferredTime: request.time,
            },
            deadlineMs,
          );
          const exact = response.slots.some(
            (slot) => slot.time === request.time && slotDate(slot, request.date),
          );
          return {
            ok: true,
            preferredAvailable: response.preferredAvailable || exact,
            alternatives: response.alternatives.map(toSlot),
            ...(response.closedReason ? { closedReason: response.closedReason } : {}),
          };
        });
      case 'createReservation':
        return settled('created', async () => {
          const response = await unaryCall(
            client,
            client.createReservation,
            {
              businessId,
              idempotencyKey: request.idempotencyKey,
              guestWaId: guestId,
              guestName: request.name,
              partySize: request.partySize,
              date: request.date,
              time: request.time,
              notes: '',
              source: 1,
            },
            deadlineMs,
          );
          return summaryResult(response.reservation);
        });
      case 'modifyReservation':
        return settled('modified', async () => {
          const response = await unaryCall(
            client,
            client.modifyReservation,
            {
              reservationId: request.reservationId,
              date: request.date ?? '',
              time: request.time ?? '',
              partySize: request.partySize ?? 0,
            },
            deadlineMs,
          );
          return summaryResult(response.reservation);
        });
      case 'cancelReservation':
        return settled('cancelled', async () => {
          const response = await unaryCall(
            client,
            client.cancelReservation,
            {
              reservationId: request.reservationId,
              reason: 'cancelled by the guest on WhatsApp',
              byStaff: false,
            },
            deadlineMs,
          );
          return summaryResult(response.reservation);
        });
      case 'listReservations':
        return settled('listed', async () => {
          const response = await unaryCall(
            client,
            client.listReservations,
            { businessId, guestWaId: guestId, date: '', includeCancelled: false, upcomingOnly: true },
            deadlineMs,
          );
          return { ok: true, reservations: response.reservations.map(toSummary) };
        });
      case 'joinWaitlist':
        return settled('waitlistJoined', async () => {
          const response = await unaryCall(
            client,
            client.joinWaitlist,
            {
              businessId,
              idempotencyKey: request.idempotencyKey,
              guestWaId: guestId,
              guestName: request.name,
              partySize: request.partySize,
              date: request.date,
              time: request.time,
            },
            deadlineMs,
          );
          const entryId = response.entry?.id;
          return entryId ? { ok: true, entryId } : { ok: false, code: 'INTERNAL' };
        });
      case 'acceptWaitlistOffer':
        return settled('offerAccepted', async () => {
          const response = await unaryCall(
            client,
            client.acceptWaitlistOffer,
            { businessId, date: request.date, entryId: request.entryId, guestWaId: guestId },
            deadlineMs,
          );
          return summaryResult(response.reservation);
        });
      case 'answerReminder':
        return settled('reminderAnswered', async () => {
          const response = await unaryCall(
            client,
            client.answerReminder,
            {
              reservationId: request.reservationId,
              businessId,
              answer:
                request.answer === 'confirmed'
                  ? GuestAnswer.GUEST_ANSWER_CONFIRMED
                  : GuestAnswer.GUEST_ANSWER_RUNNING_LATE,
              minutes: request.minutes ?? 0,
            },
            deadlineMs,
          );
          const summary = summaryResult(response.reservation);
          const lateMinutes = response.reservation?.lateMinutes;
          return summary.ok && request.answer === 'running_late' && lateMinutes
            ? { ...summary, lateMinutes }
            : summary;
        });
      case 'giveFeedback':
        return settled('feedbackGiven', async () => {
          const response = await unaryCall(
            client,
            client.giveFeedback,
            {
              reservationId: request.reservationId,
              businessId,
              rating: request.rating ?? 0,
              comment: request.comment ?? '',
            },
            deadlineMs,
          );
          const rating = response.reservation?.feedbackRating;
          return rating ? { ok: true, rating } : { ok: false, code: 'INTERNAL' };
        });
      case 'fetchMenu':
        return settled('menu', async () => {
          const categories = await menus.categories(businessId);
          return {
            ok: true,
            categories,
            ...(request.category ? { category: request.category } : {}),
            ...(request.item ? { item: request.item } : {}),
          };
        });
      default: {
        const never: never = request;
        throw new Error(`unknown call ${JSON.stringify(never)}`);
      }
    }
  };
}

/** Runs one call: its failure (a refusal or an outage) comes back as a result of the same kind. */
async function settled<K extends CallResult['kind']>(
  kind: K,
  run: () => Promise<Extract<CallResult, { kind: K }>['result']>,
): Promise<CallResult> {
  try {
    return { kind, result: await run() } as CallResult;
  } catch (error) {
    return { kind, result: failure(error) } as CallResult;
  }
}

function slotDate(slot: Slot, date: string): boolean {
  return slot.date === date || slot.date === '';
}

function toSlot(slot: Slot): SlotOption {
  return { date: slot.date, time: slot.time };
}

function toSummary(reservation: Reservation): ReservationSummary {
  return {
    id: reservation.id,
    date: reservation.serviceDate,
    time: reservation.time,
    partySize: reservation.partySize,
    name: reservation.guestName,
    startsAt: reservation.startsAt,
  };
}

function summaryResult(
  reservation: Reservation | undefined,
): { ok: true; reservation: ReservationSummary } | { ok: false; code: string } {
  return reservation ? { ok: true, reservation: toSummary(reservation) } : { ok: false, code: 'INTERNAL' };
}

function failure(error: unknown): { ok: false; code: string; alternatives?: SlotOption[] } {
  const code = failureCode(error);
  const alternatives = alternativesOf(error);
  return { ok: false, code, ...(alternatives.length > 0 ? { alternatives } : {}) };
}

function alternativesOf(error: unknown): SlotOption[] {
  const metadata = (error as { metadata?: { get(key: string): unknown[] } } | undefined)?.metadata;
  const raw = metadata?.get(ALTERNATIVES_KEY)[0];
  if (typeof raw !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((slot: unknown) => {
      if (typeof slot !== 'object' || slot === null) return [];
      const { date, time } = slot as { date?: unknown; time?: unknown };
      return typeof date === 'string' && typeof time === 'string' ? [{ date, time }] : [];
    });
  } catch {
    return [];
  }
}
