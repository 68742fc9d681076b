import { reservationStatusSchema } from '@reserveit/console-api';
import { describe, expect, it } from 'vitest';
import { actionsFor, statusOfAction } from '../src/domain/booking-actions.js';

const statuses = reservationStatusSchema.options;
const offering = (action: string) => statuses.filter((s) => actionsFor(s).includes(action as never));

describe('actionsFor', () => {
  it('offers Seated only for pending, confirmed and no-show bookings', () => {
    expect(offering('seat')).toEqual(['pending', 'confirmed', 'no_show']);
  });

  it('offers Finished only for seated bookings', () => {
    expect(offering('finish')).toEqual(['seated']);
  });

  it('offers No-show only for pending and confirmed bookings', () => {
    expect(offering('noShow')).toEqual(['pending', 'confirmed']);
  });

  it('offers Modify and Cancel only before the guest arrived', () => {
    expect(offering('modify')).toEqual(['pending', 'confirmed']);
    expect(offering('cancel')).toEqual(['pending', 'confirmed']);
  });

  it('offers nothing for cancelled and finished bookings', () => {
    expect(actionsFor('cancelled')).toEqual([]);
    expect(actionsFor('finished')).toEqual([]);
  });

  it('asks the server for the status each one-click action names', () => {
    expect(statusOfAction).toEqual({ seat: 'seated', finish: 'finished', noShow: 'no_show' });
  });
});
