import type { BookingRules, OpeningHours } from '@reserveit/contracts';
import type * as pb from '@reserveit/rpc/reservation/v1/reservation';
import { hoursToProto } from '../src/grpc/mapping.js';
import { everyDay, RULES } from './fixtures.js';

/** A RegisterBusiness request for a Dubai bistro open 12–15 and 18–23:30 every day. */
export function registerRequest(
  id: string,
  phoneNumberId: string,
  rules: Partial<BookingRules> = {},
): pb.RegisterBusinessRequest {
  const hours: OpeningHours = {
    weekly: everyDay([
      { start: '12:00', end: '15:00' },
      { start: '18:00', end: '23:30' },
    ]),
    closedDates: [],
    specialHours: {},
  };
  return {
    business: {
      id,
      name: `Bistro ${id}`,
      phoneNumberId,
      displayPhoneNumber: '15550002222',
      bookingFlowId: '',
      timezone: 'Asia/Dubai',
      locales: ['en', 'ar'],
      greetings: { en: 'Welcome' },
      rules: { ...RULES, ...rules },
      hours: hoursToProto(hours),
    },
    menu: [],
  };
}
