import { localDateAt } from '@reserveit/time';

/** Business-local "YYYY-MM-DD" dates as the replies read them; zones and arithmetic are @reserveit/time's. */

export { addDays, isoWeekday } from '@reserveit/time';

/** The business-local date of an instant (RFC 3339). */
export const localDate = (instant: string, timeZone: string): string =>
  localDateAt(Date.parse(instant), timeZone);

export const dayOfMonth = (date: string): number => Number(date.slice(8, 10));

/** 1 = January. */
export const monthOf = (date: string): number => Number(date.slice(5, 7));
