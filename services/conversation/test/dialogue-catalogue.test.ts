import { describe, expect, it } from 'vitest';
import { addDays } from '../src/dialogue/calendar.js';
import { type Catalogue, catalogueFor, LANGUAGES, LIMITS } from '../src/dialogue/index.js';
import { reservation } from './dialogue-fixtures.js';

const english = catalogueFor('en');
const others = LANGUAGES.filter((language) => language !== 'en');

/** Every day of a year, leap day included, at the times with the widest spelling. */
const DAYS = Array.from({ length: 366 }, (_, i) => addDays('2028-01-01', i));
const TIMES = ['00:30', '01:00', '12:00', '20:00', '23:45'];

/** What a catalogue entry says, whatever its kind: the text, each title, or a call with sample arguments. */
function said(cat: Catalogue, key: keyof Catalogue): string[] {
  const r = reservation({ partySize: 3, name: 'Sam' });
  const booking = { date: r.date, time: r.time, partySize: 3, name: 'Sam' };
  const value = cat[key];
  if (typeof value === 'string') return [value];
  if (typeof value !== 'function') return Object.values(value);
  const when = cat.when(r.date, r.time);
  const calls: Partial<Record<keyof Catalogue, () => unknown>> = {
    when: () => cat.when(r.date, r.time),
    slotTitle: () => cat.slotTitle(r.date, r.time, false),
    weekday: () => cat.weekday(1),
    defaultGreeting: () => cat.defaultGreeting('Bistro'),
    useProfileName: () => cat.useProfileName('Sam'),
    partyNoted: () => cat.partyNoted(3),
    slotFree: () => cat.slotFree(3, when),
    partyTooLarge: () => cat.partyTooLarge(10, '+15550001111'),
    summary: () => cat.summary(booking, when),
    booked: () => cat.booked(booking, when, 'ABC123'),
    slotTaken: () => cat.slotTaken(when),
    closedThen: () => cat.closedThen(when),
    noSlotsNear: () => cat.noSlotsNear(when),
    refused: () => cat.refused('NO_CAPACITY'),
    whichReservation: () => cat.whichReservation('cancel'),
    reservationRow: () => Object.values(cat.reservationRow(r, when)).join(' '),
    confirmCancel: () => cat.confirmCancel(r, when),
    cancelled: () => cat.cancelled(when),
    askChange: () => cat.askChange(when),
    confirmChange: () => cat.confirmChange(r, when, 4, when),
    modified: () => cat.modified(r, when),
    hours: () => cat.hours(['x']),
    hoursLine: () => cat.hoursLine('x', 'y'),
    dayRange: () => cat.dayRange('a', 'b'),
    intervals: () => cat.intervals([{ start: '12:00', end: '15:00' }]),
    menuCategory: () => cat.menuCategory('Mains'),
    menuItem: () => cat.menuItem('Hummus', 'Chickpeas', '28.00 AED'),
    price: () => cat.price(28, 'AED'),
    waitlistJoined: () => cat.waitlistJoined(3, when),
    waitlistNotNeeded: () => cat.waitlistNotNeeded(when),
    waitlistOffer: () => cat.waitlistOffer(3, when, '19:15'),
    reminder: () => cat.reminder(when, 3),
    noShow: () => cat.noShow(when),
    lateNoted: () => cat.lateNoted(15),
    reminderConfirmed: () => cat.reminderConfirmed(when),
  };
  const call = calls[key];
  if (!call) throw new Error(`no sample call for ${key}: add one here`);
  return [String(call())];
}

describe('the catalogues', () => {
  it.each(LANGUAGES)('keep every fixed button title within WhatsApp’s 20 characters (%s)', (language) => {
    const cat = catalogueFor(language);
    const titles = [
      ...Object.values(cat.menuButtons),
      ...Object.values(cat.confirmButtons),
      ...Object.values(cat.reminderButtons),
      ...Object.values(cat.cancelButtons),
      ...Object.values(cat.changeButtons),
      cat.talkToTeam,
      cat.listButton,
      cat.menuButton,
      cat.flowCta,
      cat.joinWaitlistButton,
      cat.confirmOfferButton,
    ];
    for (const title of titles) {
      expect(title.length).toBeGreaterThan(0);
      expect(title.length).toBeLessThanOrEqual(LIMITS.buttonTitle);
    }
  });

  it.each(LANGUAGES)(
    'keep slot buttons within 20 characters and reservation rows within 24 on every day of the year (%s)',
    (language) => {
      const cat = catalogueFor(language);
      for (const date of DAYS) {
        for (const time of TIMES) {
          const title = cat.slotTitle(date, time, false);
          expect(title.length, title).toBeLessThanOrEqual(LIMITS.buttonTitle);
          const row = cat.reservationRow(reservation({ date, time }), cat.when(date, time)).title;
          expect(row.length, row).toBeLessThanOrEqual(LIMITS.rowTitle);
        }
      }
    },
  );

  it.each(LANGUAGES)('say something for every key of the English catalogue (%s)', (language) => {
    const cat = catalogueFor(language);
    const keys = Object.keys(english) as (keyof Catalogue)[];
    expect(Object.keys(cat).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      for (const text of said(cat, key)) expect(text.trim(), `${language}.${key}`).not.toBe('');
    }
  });

  it.each(others)('are translated, not English left in place (%s)', (language) => {
    const cat = catalogueFor(language);
    // Formats with no words in them may be the same in two languages ("Hummus – 28.00 AED").
    const formats = ['hoursLine', 'intervals', 'menuItem', 'price'];
    for (const key of Object.keys(english) as (keyof Catalogue)[]) {
      if (formats.includes(key)) continue;
      const mine = said(cat, key);
      const theirs = said(english, key);
      mine.forEach((text, i) => {
        expect(text, `${language}.${key}`).not.toBe(theirs[i]);
      });
    }
  });
});
