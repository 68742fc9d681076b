/** Wall-clock times of day as HH:MM text, and minutes since midnight. */

export const hhmm = (hour: number, minute: number): string => `${pad(hour)}:${pad(minute)}`;

export function minutesOf(time: string): number {
  const [hh, mm] = time.split(':').map(Number);
  return (hh ?? 0) * 60 + (mm ?? 0);
}

/** HH:MM of a minute count; 24:00 and later wrap to the next day's clock (opening hours past midnight). */
export const timeOf = (minutes: number): string => hhmm(Math.floor(minutes / 60) % 24, minutes % 60);

const pad = (value: number) => String(value).padStart(2, '0');
