export { addDays, isCalendarDate, isoDate, isoWeekday } from './calendar.js';
export { hhmm, minutesOf, timeOf } from './time-of-day.js';
export {
  instantOf,
  isValidTimeZone,
  type LocalParts,
  localDateAt,
  localParts,
  type WallClock,
  wallClockAt,
} from './zoned-time.js';
