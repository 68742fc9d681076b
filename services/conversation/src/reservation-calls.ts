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
        try {
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
            kind: 'availability',
            result: {
              ok: true,
              preferredAvailable: response.preferredAvailable || exact,
              alternatives: response.alternatives.map(toSlot),
              ...(response.closedReason ? { closedReason: response.closedReason } : {}),
            },
          };
        } catch (error) {
          return { kind: 'availability', result: failure(error) };
        }
      case 'createReservation':
        try {
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
          return { kind: 'created', result: summaryResult(response.reservation) };
        } catch (error) {
          return { kind: 'created', result: failure(error) };
        }
      case 'modifyReservation':
        try {
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
          return { kind: 'modified', result: summaryResult(response.reservation) };
        } catch (error) {
          return { kind: 'modified', result: failure(error) };
        }
      case 'cancelReservation':
        try {
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
          return { kind: 'cancelled', result: summaryResult(response.reservation) };
        } catch (error) {
          return { kind: 'cancelled', result: failure(error) };
        }
      case 'listReservations':
        try {
          const response = await unaryCall(
            client,
            client.listReservations,
            { businessId, guestWaId: guestId, date: '', includeCancelled: false, upcomingOnly: true },
            deadlineMs,
          );
          return { kind: 'listed', result: { ok: true, reservations: response.reservations.map(toSummary) } };
        } catch (error) {
          return { kind: 'listed', result: failure(error) };
        }
      case 'joinWaitlist':
        try {
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
          return {
            kind: 'waitlistJoined',
            result: entryId ? { ok: true, entryId } : { ok: false, code: 'INTERNAL' },
          };
        } catch (error) {
          return { kind: 'waitlistJoined', result: failure(error) };
        }
      case 'acceptWaitlistOffer':
        try {
          const response = await unaryCall(
            client,
            client.acceptWaitlistOffer,
            { businessId, date: request.date, entryId: request.entryId, guestWaId: guestId },
            deadlineMs,
          );
          return { kind: 'offerAccepted', result: summaryResult(response.reservation) };
        } catch (error) {
          return { kind: 'offerAccepted', result: failure(error) };
        }
      case 'answerReminder':
        try {
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
          return {
            kind: 'reminderAnswered',
            result:
              summary.ok && request.answer === 'running_late' && lateMinutes
                ? { ...summary, lateMinutes }
                : summary,
          };
        } catch (error) {
          return { kind: 'reminderAnswered', result: failure(error) };
        }
      case 'giveFeedback':
        try {
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
          return {
            kind: 'feedbackGiven',
            result: rating ? { ok: true, rating } : { ok: false, code: 'INTERNAL' },
          };
        } catch (error) {
          return { kind: 'feedbackGiven', result: failure(error) };
        }
      case 'fetchMenu':
        try {
          const categories = await menus.categories(businessId);
          return {
            kind: 'menu',
            result: {
              ok: true,
              categories,
              ...(request.category ? { category: request.category } : {}),
              ...(request.item ? { item: request.item } : {}),
            },
          };
        } catch (error) {
          return { kind: 'menu', result: failure(error) };
        }
      default: {
        const never: never = request;
        throw new Error(`unknown call ${JSON.stringify(never)}`);
      }
    }
  };
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
