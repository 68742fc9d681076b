import { bookingReference } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { catalogueFor, initialState, type MenuCategory } from '../src/dialogue/index.js';
import {
  available,
  BUSINESS,
  bodies,
  buttonsOf,
  greeted,
  listed,
  NOW,
  reservation,
  rowsOf,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

const MENU: MenuCategory[] = [
  {
    name: 'Entrantes',
    items: [
      {
        id: 'hummus',
        name: 'Hummus',
        description: 'Garbanzos y tahini',
        priceMinor: 2800,
        currency: 'AED',
        available: true,
      },
    ],
  },
  {
    name: 'Principales',
    items: [
      { id: 'ouzi', name: 'Ouzi', description: '', priceMinor: 9500, currency: 'AED', available: true },
    ],
  },
];

describe('Spanish', () => {
  it('books in Spanish from greeting to confirmation, with Spanish questions, dates and buttons', async () => {
    const s0 = await when(initialState(NOW), turn('Hola, buenas', { intent: 'GREETING', language: 'es' }));
    // The restaurant has no Spanish greeting: its English one is not mixed in, the Spanish default is.
    expect(bodies(s0.replies)).toEqual([
      '¡Le damos la bienvenida a Bistro Dubai!\n¿En qué puedo ayudarle hoy?',
    ]);
    expect(buttonsOf(s0.replies[0]).map((b) => b.title)).toEqual(['Reservar mesa', 'Carta', 'Horario']);
    const s1 = await when(
      s0.state,
      turn('Quisiera reservar una mesa para 4 personas mañana', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW },
        language: 'es',
      }),
    );
    expect(bodies(s1.replies)).toEqual(['Para 4 personas, anotado. ¿A qué hora?']);
    const s2 = await when(
      s1.state,
      turn(
        'a las 20:00',
        { intent: 'OTHER', entities: { time: '20:00' }, language: 'es' },
        { profileName: 'Lucía' },
      ),
      [available],
    );
    expect(bodies(s2.replies)).toEqual([
      'Buenas noticias: hay mesa para 4 personas el mar 24 nov a las 20:00.\n¿A nombre de quién hago la reserva?\nO toque abajo para reservar a nombre de «Lucía».',
    ]);
    expect(buttonsOf(s2.replies[0])).toEqual([{ id: 'name:Lucía', title: 'Lucía' }]);
    const s3 = await when(
      s2.state,
      turn('Lucía', { intent: 'OTHER', entities: { guestName: 'Lucía' }, language: 'es' }),
    );
    expect(s3.calls).toEqual([]);
    expect(s3.replies[0]?.body).toBe(
      'Una mesa para 4 personas el mar 24 nov a las 20:00, a nombre de Lucía. ¿La reservo?',
    );
    expect(buttonsOf(s3.replies[0]).map((b) => b.title)).toEqual(['Confirmar', 'Cambiar', 'Cancelar']);
    const s4 = await when(s3.state, tap('confirm:yes', 'Confirmar'), [
      { kind: 'created', result: { ok: true, reservation: reservation({ name: 'Lucía' }) } },
    ]);
    expect(bodies(s4.replies)).toEqual([
      `Reserva confirmada: una mesa para 4 personas el mar 24 nov a las 20:00, a nombre de Lucía. Referencia ${bookingReference('r_abcdefghijklmnop')}. ¡Le esperamos!`,
    ]);
  });

  it('greets with the restaurant’s own Spanish greeting when it has one', async () => {
    const business = {
      ...BUSINESS,
      greetings: { ...BUSINESS.greetings, es: '¡Bienvenidos al Bistro Dubai!' },
    };
    const { replies } = await when(
      initialState(NOW),
      turn('hola', { intent: 'GREETING', language: 'es' }, { business }),
    );
    expect(bodies(replies)).toEqual(['¡Bienvenidos al Bistro Dubai!\n¿En qué puedo ayudarle hoy?']);
  });

  it('says a full time in Spanish and offers the nearest ones as buttons', async () => {
    const { replies } = await when(
      greeted('es'),
      turn('mesa para 2 mañana a las 20:00', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:00' },
        language: 'es',
      }),
      [
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            alternatives: [
              { date: '2026-11-25', time: '20:00' },
              { date: TOMORROW, time: '21:00' },
            ],
          },
        },
      ],
    );
    expect(replies[0]?.body).toBe(
      'Lo sentimos, no quedan mesas el mar 24 nov a las 20:00.\nEstas son las horas libres más cercanas:',
    );
    expect(buttonsOf(replies[0])).toEqual([
      { id: 'slot:2026-11-25T20:00', title: 'mié 25 nov 20:00' },
      { id: `slot:${TOMORROW}T21:00`, title: '21:00' },
    ]);
  });

  it('offers the team to a party larger than the restaurant books online', async () => {
    const { replies } = await when(
      greeted('es'),
      turn('somos 12', { intent: 'BOOK', entities: { partySize: 12 }, language: 'es' }),
    );
    expect(replies[0]?.body).toBe(
      'En línea puedo reservar para un máximo de 8 personas. Para un grupo más grande, nuestro equipo le ayudará con gusto: toque abajo y una persona le responderá aquí. También puede indicarme un número menor de personas.',
    );
    expect(buttonsOf(replies[0])).toEqual([{ id: 'intent:human', title: 'Hablar con el equipo' }]);
  });

  it('changes a reservation in Spanish, confirmed by a typed "sí"', async () => {
    const s1 = await when(
      greeted('es'),
      turn('quiero cambiar mi reserva a las 21:00', {
        intent: 'MODIFY',
        entities: { time: '21:00' },
        language: 'es',
      }),
      [listed(reservation()), available],
    );
    expect(bodies(s1.replies)).toEqual([
      '¿Desea cambiar su mesa para 4 personas del mar 24 nov a las 20:00 por una mesa para 4 personas el mar 24 nov a las 21:00?',
    ]);
    expect(buttonsOf(s1.replies[0]).map((b) => b.title)).toEqual(['Sí, cambiarla', 'Mantenerla']);
    const s2 = await when(s1.state, turn('Sí', { intent: 'OTHER', language: 'es' }), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ time: '21:00' }) } },
    ]);
    expect(s2.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', time: '21:00' },
    ]);
    expect(bodies(s2.replies)).toEqual([
      'Hecho: su mesa para 4 personas es ahora el mar 24 nov a las 21:00.',
    ]);
  });

  it('asks what to change, in Spanish, when the guest did not say', async () => {
    const { replies } = await when(
      greeted('es'),
      turn('quiero cambiar mi reserva', { intent: 'MODIFY', language: 'es' }),
      [listed(reservation())],
    );
    expect(bodies(replies)).toEqual([
      'Su reserva es el mar 24 nov a las 20:00. ¿Qué desea cambiar: el día, la hora o el número de personas?',
    ]);
  });

  it('cancels in Spanish, from a list of reservations when there are several', async () => {
    const later = reservation({
      id: 'r_later',
      date: '2026-11-28',
      time: '19:00',
      partySize: 1,
      startsAt: '2026-11-28T15:00:00.000Z',
    });
    const s1 = await when(greeted('es'), turn('quiero cancelar', { intent: 'CANCEL', language: 'es' }), [
      listed(later, reservation()),
    ]);
    expect(s1.replies[0]?.body).toBe('¿Qué reserva desea cancelar?');
    expect(s1.replies[0]).toMatchObject({ kind: 'list', button: 'Reservas' });
    expect(rowsOf(s1.replies[0])).toEqual([
      {
        id: 'rsv:r_abcdefghijklmnop',
        title: 'mar 24 nov 20:00',
        description: `4 personas, Sarah · ${bookingReference('r_abcdefghijklmnop')}`,
      },
      {
        id: 'rsv:r_later',
        title: 'sáb 28 nov 19:00',
        description: `1 persona, Sarah · ${bookingReference('r_later')}`,
      },
    ]);
    const s2 = await when(s1.state, tap('rsv:r_later', 'sáb 28 nov 19:00'));
    expect(bodies(s2.replies)).toEqual([
      '¿Desea cancelar su mesa para 1 persona del sáb 28 nov a las 19:00?',
    ]);
    expect(buttonsOf(s2.replies[0]).map((b) => b.title)).toEqual(['Sí, cancelarla', 'Mantenerla']);
    const s3 = await when(s2.state, tap('cancel:yes', 'Sí, cancelarla'), [
      { kind: 'cancelled', result: { ok: true, reservation: later } },
    ]);
    expect(bodies(s3.replies)).toEqual([
      'Su reserva del sáb 28 nov a las 19:00 está cancelada. Esperamos verle en otra ocasión.',
    ]);
  });

  it('keeps the reservation on a typed "no" and explains a refusal past the cutoff', async () => {
    const s1 = await when(greeted('es'), turn('cancelar', { intent: 'CANCEL', language: 'es' }), [
      listed(reservation()),
    ]);
    const kept = await when(s1.state, turn('no, gracias', { intent: 'OTHER', language: 'es' }));
    expect(kept.calls).toEqual([]);
    expect(bodies(kept.replies)).toEqual(['De acuerdo, su reserva sigue como estaba.']);
    const late = await when(s1.state, tap('cancel:yes', 'Sí, cancelarla'), [
      { kind: 'cancelled', result: { ok: false, code: 'TOO_LATE' } },
    ]);
    expect(bodies(late.replies)).toEqual([
      'Lo sentimos, ya no es posible cambiar esta reserva en línea. Por favor, llame al restaurante.',
    ]);
  });

  it('shows the menu in Spanish: sections, a section’s dishes, one dish, prices with a decimal comma', async () => {
    const s1 = await when(greeted('es'), turn('¿me enseña la carta?', { intent: 'MENU', language: 'es' }), [
      { kind: 'menu', result: { ok: true, categories: MENU } },
    ]);
    expect(s1.replies[0]).toMatchObject({
      kind: 'list',
      body: 'Esta es nuestra carta. Elija una sección:',
      button: 'Carta',
    });
    const s2 = await when(s1.state, tap('menu:Entrantes', 'Entrantes'), [
      { kind: 'menu', result: { ok: true, categories: MENU, category: 'Entrantes' } },
    ]);
    expect(s2.replies[0]?.body).toBe('Entrantes: elija un plato para ver los detalles.');
    expect(rowsOf(s2.replies[0])).toEqual([
      { id: 'item:hummus', title: 'Hummus', description: '28,00 AED · Garbanzos y tahini' },
    ]);
    const s3 = await when(s2.state, tap('item:hummus', 'Hummus'), [
      { kind: 'menu', result: { ok: true, categories: MENU, item: 'hummus' } },
    ]);
    expect(bodies(s3.replies)).toEqual(['Hummus – 28,00 AED\nGarbanzos y tahini']);
    const empty = await when(greeted('es'), turn('carta', { intent: 'MENU', language: 'es' }), [
      { kind: 'menu', result: { ok: true, categories: [] } },
    ]);
    expect(bodies(empty.replies)).toEqual(['Lo sentimos, nuestra carta aún no está disponible aquí.']);
  });

  it('answers opening hours in Spanish, days grouped as Spanish says them', async () => {
    const { replies } = await when(
      greeted('es'),
      turn('¿qué horario tienen?', { intent: 'HOURS', language: 'es' }),
    );
    expect(bodies(replies)).toEqual([
      'Nuestro horario:\nDe lunes a jueves: 12:00–15:00 y 18:00–23:30\nViernes y sábado: 18:00–01:00\nDomingo: cerrado',
    ]);
  });

  it('hands over to a person in Spanish, and thanks and not-understood are Spanish too', async () => {
    const human = await when(
      greeted('es'),
      turn('quiero hablar con una persona', { intent: 'HUMAN', language: 'es' }),
    );
    expect(bodies(human.replies)).toEqual(['Una persona de nuestro equipo le responderá aquí en breve.']);
    const thanks = await when(greeted('es'), turn('gracias', { intent: 'THANKS', language: 'es' }));
    expect(bodies(thanks.replies)).toEqual(['¡Con mucho gusto!']);
    const other = await when(greeted('es'), turn('jajaja', { intent: 'OTHER', language: 'es' }));
    expect(bodies(other.replies)).toEqual([
      'Disculpe, no le he entendido. Puedo reservar, cambiar o cancelar una mesa, o mostrarle la carta y el horario.',
    ]);
  });

  it('keeps answering in Spanish when a message carries no language ("4"), and follows the guest into English', async () => {
    const s1 = await when(
      greeted('es'),
      turn('reservar', { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00' }, language: 'es' }),
    );
    const s2 = await when(
      s1.state,
      {
        ...turn('4'),
        understanding: { intent: 'OTHER', entities: { partySize: 4 }, source: 'rules' },
      },
      [available],
    );
    expect(s2.state.language).toBe('es');
    expect(bodies(s2.replies)[0]).toMatch(/^Buenas noticias: hay mesa para 4 personas/);
    const s3 = await when(s2.state, turn('sorry, what are your hours?', { intent: 'HOURS', language: 'en' }));
    expect(s3.state.language).toBe('en');
    expect(bodies(s3.replies)[0]).toMatch(/^Our opening hours:/);
  });

  it('writes "a la" before one o’clock, as Spanish does', () => {
    const spanish = catalogueFor('es');
    expect(spanish.when('2026-11-28', '01:00')).toBe('sáb 28 nov a la 01:00');
    expect(spanish.when('2026-09-02', '00:30')).toBe('mié 2 sept a las 00:30');
  });
});
