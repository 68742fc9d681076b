import type { BookingRules, OpeningHours } from '@reserveit/contracts';
import { DEFAULT_FOLLOW_UPS } from '@reserveit/contracts';
import type { Business } from '../src/domain/index.js';

export const everyDay = (intervals: OpeningHours['weekly']['1']): OpeningHours['weekly'] => ({
  '1': intervals,
  '2': intervals,
  '3': intervals,
  '4': intervals,
  '5': intervals,
  '6': intervals,
  '7': intervals,
});

export const RULES: BookingRules = {
  slotMinutes: 15,
  seatingMinutes: 90,
  capacityCovers: 10,
  maxPartySize: 8,
  minLeadMinutes: 60,
  horizonDays: 30,
  cancellationCutoffMinutes: 120,
};

export function businessFixture(
  overrides: {
    timezone?: string;
    hours?: Partial<OpeningHours>;
    rules?: Partial<BookingRules>;
    id?: string;
    phoneNumberId?: string;
  } = {},
): Business {
  return {
    businessId: overrides.id ?? 'fixture',
    profile: {
      name: 'Fixture Bistro',
      phoneNumberId: overrides.phoneNumberId ?? '100000000000099',
      displayPhoneNumber: '15550009999',
      bookingFlowId: '',
      followUps: DEFAULT_FOLLOW_UPS,
      templates: [],
      timezone: overrides.timezone ?? 'Asia/Dubai',
      locales: ['en', 'ar'],
      greetings: { en: 'Hello' },
      rules: { ...RULES, ...overrides.rules },
    },
    hours: {
      weekly: everyDay([
        { start: '12:00', end: '15:00' },
        { start: '18:00', end: '23:30' },
      ]),
      closedDates: [],
      specialHours: {},
      ...overrides.hours,
    },
    menu: new Map(),
  };
}
