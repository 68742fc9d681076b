/** Calendar arithmetic on business-local "YYYY-MM-DD" dates; pure (the zone and instant are inputs). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The business-local date of an instant. */
export function localDate(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay();
  return day === 0 ? 7 : day;
}

export function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

/** 1 = January. */
export function monthOf(date: string): number {
  return Number(date.slice(5, 7));
}
