import type { Business } from '@reserveit/rpc/reservation/v1/reservation';
import { describe, expect, it } from 'vitest';
import { toProfile } from '../src/business-directory.js';

const business = (displayPhoneNumber: string): Business => ({
  bookingFlowId: '',
  id: 'bistro',
  name: 'Bistro Dubai',
  phoneNumberId: '106540352242922',
  displayPhoneNumber,
  timezone: 'Asia/Dubai',
  locales: ['en'],
  greetings: {},
  rules: undefined,
  hours: undefined,
});

describe("a restaurant's profile for the dialogue", () => {
  it('offers the display number as one a guest can dial, and none when there is none', () => {
    expect(toProfile(business('15550001111')).phone).toBe('+15550001111');
    expect(toProfile(business('+1 555-000-1111')).phone).toBe('+1 555-000-1111');
    expect(toProfile(business('')).phone).toBeUndefined();
  });

  it('carries the booking Flow id when the restaurant has one, and none for ""', () => {
    const withFlow = { ...business('15550001111'), bookingFlowId: '1187654321098765' };
    expect(toProfile(withFlow).bookingFlowId).toBe('1187654321098765');
    expect(toProfile(business('15550001111'))).not.toHaveProperty('bookingFlowId');
  });
});
