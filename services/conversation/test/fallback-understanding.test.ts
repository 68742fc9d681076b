import { describe, expect, it } from 'vitest';
import { fallbackUnderstanding } from '../src/dialogue/index.js';

const base = { now: '2026-11-23T10:00:00.000Z', timeZone: 'Asia/Dubai' };

describe('built-in understanding while intent.v1 is unreachable', () => {
  it('reads a whole English booking request', () => {
    expect(fallbackUnderstanding({ ...base, text: 'book a table for 4 people tomorrow at 8pm' })).toEqual({
      intent: 'BOOK',
      entities: { date: '2026-11-24', time: '20:00', partySize: 4 },
      language: 'en',
      source: 'fallback',
    });
  });

  it('reads an Arabic booking request with Arabic digits', () => {
    const understood = fallbackUnderstanding({ ...base, text: 'حجز طاولة ٤ أشخاص بكرة' });
    expect(understood).toMatchObject({
      intent: 'BOOK',
      entities: { partySize: 4, date: '2026-11-24' },
      language: 'ar',
    });
  });

  it('reads Spanish and French booking requests, French times included, in their language', () => {
    expect(
      fallbackUnderstanding({
        ...base,
        text: 'Quisiera reservar una mesa para 4 personas mañana a las 21:30',
      }),
    ).toEqual({
      intent: 'BOOK',
      entities: { date: '2026-11-24', time: '21:30', partySize: 4 },
      language: 'es',
      source: 'fallback',
    });
    expect(
      fallbackUnderstanding({
        ...base,
        text: 'Bonjour, je voudrais réserver pour 2 personnes demain à 20h30',
      }),
    ).toEqual({
      intent: 'BOOK',
      entities: { date: '2026-11-24', time: '20:30', partySize: 2 },
      language: 'fr',
      source: 'fallback',
    });
    expect(fallbackUnderstanding({ ...base, text: 'ce soir 19 h' }).entities).toEqual({
      date: '2026-11-23',
      time: '19:00',
    });
    expect(fallbackUnderstanding({ ...base, text: 'à 8h' }).entities).toEqual({ time: '08:00' });
    // The party size before the time is not taken for 2 o'clock.
    expect(fallbackUnderstanding({ ...base, text: 'una mesa para 2 mañana a las 20:00' }).entities).toEqual({
      date: '2026-11-24',
      time: '20:00',
    });
    expect(fallbackUnderstanding({ ...base, text: 'table for 2 tomorrow at 8pm' }).entities).toMatchObject({
      time: '20:00',
    });
  });

  it('recognises Spanish and French requests to cancel, change, see the menu or hours, or reach a person', () => {
    const intentOf = (text: string) => fallbackUnderstanding({ ...base, text }).intent;
    expect(intentOf('quiero cancelar mi reserva')).toBe('CANCEL');
    expect(intentOf('je veux annuler')).toBe('CANCEL');
    expect(intentOf('¿puedo cambiar la hora?')).toBe('MODIFY');
    expect(intentOf('on peut décaler ?')).toBe('MODIFY');
    expect(intentOf('¿me enseña el menú?')).toBe('MENU');
    expect(intentOf('la carte svp')).toBe('MENU');
    expect(intentOf('¿a qué hora abren?')).toBe('HOURS');
    expect(intentOf('vos horaires ?')).toBe('HOURS');
    expect(intentOf('quiero hablar con el encargado')).toBe('HUMAN');
    expect(intentOf("je voudrais parler à quelqu'un")).toBe('HUMAN');
    expect(intentOf('muchas gracias')).toBe('THANKS');
    expect(intentOf('bonsoir')).toBe('GREETING');
  });

  it('names no language when no word tells it, so the conversation keeps its own ("4", "ok")', () => {
    expect(fallbackUnderstanding({ ...base, text: '4', expecting: 'party_size' }).language).toBeUndefined();
    expect(fallbackUnderstanding({ ...base, text: 'Sarah', expecting: 'name' }).language).toBeUndefined();
  });

  it('recognises cancel, menu, hours and a request for a person', () => {
    expect(fallbackUnderstanding({ ...base, text: 'please cancel' }).intent).toBe('CANCEL');
    expect(fallbackUnderstanding({ ...base, text: 'المنيو' }).intent).toBe('MENU');
    expect(fallbackUnderstanding({ ...base, text: 'when do you open' }).intent).toBe('HOURS');
    expect(fallbackUnderstanding({ ...base, text: 'I want a human' }).intent).toBe('HUMAN');
  });

  it('fills the slot that was asked for from a bare answer', () => {
    expect(fallbackUnderstanding({ ...base, text: '4', expecting: 'party_size' }).entities).toEqual({
      partySize: 4,
    });
    expect(fallbackUnderstanding({ ...base, text: '8', expecting: 'time' }).entities).toEqual({
      time: '20:00',
    });
    expect(fallbackUnderstanding({ ...base, text: 'Sarah', expecting: 'name' }).entities).toEqual({
      guestName: 'Sarah',
    });
  });

  it('admits it understood nothing rather than guessing', () => {
    expect(fallbackUnderstanding({ ...base, text: 'lorem ipsum' })).toMatchObject({
      intent: 'OTHER',
      entities: {},
    });
  });
});
