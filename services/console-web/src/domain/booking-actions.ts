import type { ReservationStatus } from '@reserveit/console-api';

export type BookingAction = 'seat' | 'finish' | 'noShow' | 'modify' | 'cancel';

/**
 * What the host stand may do with a booking in a given status. Offering only these keeps the server
 * from answering 409 to a button the screen should not have shown; a no-show who turns up late can
 * still be seated.
 */
const allowed: Record<ReservationStatus, readonly BookingAction[]> = {
  pending: ['seat', 'noShow', 'modify', 'cancel'],
  confirmed: ['seat', 'noShow', 'modify', 'cancel'],
  no_show: ['seat'],
  seated: ['finish'],
  finished: [],
  cancelled: [],
};

export function actionsFor(status: ReservationStatus): readonly BookingAction[] {
  return allowed[status];
}

/** The status a one-click action asks the server for. */
export const statusOfAction = { seat: 'seated', finish: 'finished', noShow: 'no_show' } as const;
