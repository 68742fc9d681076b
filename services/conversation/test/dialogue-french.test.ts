import { bookingReference } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { catalogueFor, initialState, type MenuCategory, type Reply } from '../src/dialogue/index.js';
import {
  available,
  BUSINESS,
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

/**
 * French replies put no-break spaces before ? ! : and in "20 h" (checked on their own below); the
 * other expectations read them as plain spaces.
 */
const plain = (text: string | undefined) => text?.replace(/[\u00a0\u202f]/g, ' ');
const said = (replies: Reply[]) => replies.map((reply) => plain(reply.body));
const titles = (reply: Reply | undefined) => buttonsOf(reply).map((b) => plain(b.title));

const MENU: MenuCategory[] = [
  {
    name: 'Entrées',
    items: [
      {
        id: 'hummus',
        name: 'Houmous',
        description: 'Pois chiches et tahini',
        priceMinor: 2800,
        currency: 'AED',
        available: true,
      },
    ],
  },
];

describe('French', () => {
  it('books in French from greeting to confirmation, with French questions, dates and buttons', async () => {
    const s0 = await when(initialState(NOW), turn('Bonjour', { intent: 'GREETING', language: 'fr' }));
    // The restaurant has no French greeting: its English one is not mixed in, the French default is.
    expect(said(s0.replies)).toEqual([
      "Bienvenue chez Bistro Dubai !\nComment puis-je vous aider aujourd'hui ?",
    ]);
    expect(titles(s0.replies[0])).toEqual(['Réserver une table', 'Carte', 'Horaires']);
    const s1 = await when(
      s0.state,
      turn('Je voudrais réserver une table pour 4 personnes demain', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW },
        language: 'fr',
      }),
    );
    expect(said(s1.replies)).toEqual(["Pour 4 personnes, c'est noté. À quelle heure ?"]);
    const s2 = await when(
      s1.state,
      turn(
        'à 20h',
        { intent: 'OTHER', entities: { time: '20:00' }, language: 'fr' },
        { profileName: 'Camille' },
      ),
      [available],
    );
    expect(said(s2.replies)).toEqual([
      'Bonne nouvelle : nous avons une table pour 4 personnes le mar. 24 nov. à 20 h.\nÀ quel nom dois-je réserver ?\nOu appuyez ci-dessous pour réserver au nom de « Camille ».',
    ]);
    expect(buttonsOf(s2.replies[0])).toEqual([{ id: 'name:Camille', title: 'Camille' }]);
    const s3 = await when(
      s2.state,
      turn('Camille', { intent: 'OTHER', entities: { guestName: 'Camille' }, language: 'fr' }),
    );
    expect(s3.calls).toEqual([]);
    expect(said(s3.replies)).toEqual([
      'Une table pour 4 personnes le mar. 24 nov. à 20 h, au nom de Camille. Puis-je confirmer la réservation ?',
    ]);
    expect(titles(s3.replies[0])).toEqual(['Confirmer', 'Modifier', 'Annuler']);
    const s4 = await when(s3.state, tap('confirm:yes', 'Confirmer'), [
      { kind: 'created', result: { ok: true, reservation: reservation({ name: 'Camille' }) } },
    ]);
    expect(said(s4.replies)).toEqual([
      `C'est réservé : une table pour 4 personnes le mar. 24 nov. à 20 h, au nom de Camille. Référence ${bookingReference('r_abcdefghijklmnop')}. À bientôt !`,
    ]);
  });

  it('sets French punctuation and times with no-break spaces, and leaves what the guest typed alone', () => {
    const french = catalogueFor('fr');
    expect(french.askTime).toBe('À quelle heure\u202f?');
    expect(french.when('2026-11-24', '20:30')).toBe('mar. 24 nov. à 20\u00a0h\u00a030');
    expect(french.slotFree(2, 'X')).toBe('Bonne nouvelle\u00a0: nous avons une table pour 2 personnes le X.');
    expect(french.useProfileName('Jo !')).toBe(
      'Ou appuyez ci-dessous pour réserver au nom de «\u202fJo !\u202f».',
    );
  });

  it('greets with the restaurant’s own French greeting when it has one', async () => {
    const business = { ...BUSINESS, greetings: { ...BUSINESS.greetings, fr: 'Bienvenue au Bistro Dubai !' } };
    const { replies } = await when(
      initialState(NOW),
      turn('bonsoir', { intent: 'GREETING', language: 'fr' }, { business }),
    );
    expect(said(replies)).toEqual(["Bienvenue au Bistro Dubai !\nComment puis-je vous aider aujourd'hui ?"]);
  });

  it('says a full time in French and offers the nearest ones as buttons of at most 20 characters', async () => {
    const { replies } = await when(
      greeted('fr'),
      turn('une table pour 2 demain à 20h30', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:30' },
        language: 'fr',
      }),
      [
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            alternatives: [
              { date: '2026-11-25', time: '20:30' },
              { date: '2026-11-27', time: '20:00' },
              { date: TOMORROW, time: '21:00' },
            ],
          },
        },
      ],
    );
    expect(plain(replies[0]?.body)).toBe(
      'Malheureusement, nous sommes complets le mar. 24 nov. à 20 h 30.\nVoici les créneaux libres les plus proches :',
    );
    // "mer. 25 nov. 20 h 30" fits in 20; a longer one would lose its weekday.
    expect(titles(replies[0])).toEqual(['mer. 25 nov. 20 h 30', 'ven. 27 nov. 20 h', '21 h']);
    expect(
      catalogueFor('fr')
        .slotTitle('2027-02-24', '20:30', false)
        .replace(/\u00a0/g, ' '),
    ).toBe('24 févr. 20 h 30');
  });

  it('offers the team to a party larger than the restaurant books online', async () => {
    const { replies } = await when(
      greeted('fr'),
      turn('nous sommes 12', { intent: 'BOOK', entities: { partySize: 12 }, language: 'fr' }),
    );
    expect(plain(replies[0]?.body)).toBe(
      "En ligne, je peux réserver pour 8 personnes au maximum. Pour un groupe plus nombreux, notre équipe vous aidera volontiers : appuyez ci-dessous et quelqu'un vous répondra ici. Vous pouvez aussi m'indiquer un nombre de personnes plus petit.",
    );
    expect(buttonsOf(replies[0])).toEqual([{ id: 'intent:human', title: "Parler à l'équipe" }]);
  });

  it('changes a reservation in French, confirmed by a typed "oui"', async () => {
    const s1 = await when(
      greeted('fr'),
      turn('je voudrais décaler ma réservation à 21h', {
        intent: 'MODIFY',
        entities: { time: '21:00' },
        language: 'fr',
      }),
      [listed(reservation()), available],
    );
    expect(said(s1.replies)).toEqual([
      'Souhaitez-vous remplacer votre table pour 4 personnes le mar. 24 nov. à 20 h par une table pour 4 personnes le mar. 24 nov. à 21 h ?',
    ]);
    expect(titles(s1.replies[0])).toEqual(['Oui, modifier', 'La garder']);
    const s2 = await when(s1.state, turn('Oui', { intent: 'OTHER', language: 'fr' }), [
      { kind: 'modified', result: { ok: true, reservation: reservation({ time: '21:00' }) } },
    ]);
    expect(s2.calls).toEqual([
      { kind: 'modifyReservation', reservationId: 'r_abcdefghijklmnop', time: '21:00' },
    ]);
    expect(said(s2.replies)).toEqual([
      "C'est fait : votre table pour 4 personnes est désormais le mar. 24 nov. à 21 h.",
    ]);
  });

  it('asks what to change, in French, when the guest did not say', async () => {
    const { replies } = await when(
      greeted('fr'),
      turn('je veux modifier ma réservation', { intent: 'MODIFY', language: 'fr' }),
      [listed(reservation())],
    );
    expect(said(replies)).toEqual([
      "Votre réservation est prévue le mar. 24 nov. à 20 h. Que souhaitez-vous changer : le jour, l'heure ou le nombre de personnes ?",
    ]);
  });

  it('cancels in French, from a list of reservations when there are several', async () => {
    const later = reservation({
      id: 'r_later',
      date: '2026-11-28',
      time: '19:30',
      partySize: 1,
      startsAt: '2026-11-28T15:30:00.000Z',
    });
    const s1 = await when(greeted('fr'), turn('annuler', { intent: 'CANCEL', language: 'fr' }), [
      listed(later, reservation()),
    ]);
    expect(said(s1.replies)).toEqual(['Quelle réservation souhaitez-vous annuler ?']);
    expect(s1.replies[0]).toMatchObject({ kind: 'list', button: 'Réservations' });
    expect(rowsOf(s1.replies[0]).map((row) => ({ ...row, title: plain(row.title) }))).toEqual([
      {
        id: 'rsv:r_abcdefghijklmnop',
        title: 'mar. 24 nov. à 20 h',
        description: `4 personnes, Sarah · ${bookingReference('r_abcdefghijklmnop')}`,
      },
      {
        id: 'rsv:r_later',
        title: 'sam. 28 nov. à 19 h 30',
        description: `1 personne, Sarah · ${bookingReference('r_later')}`,
      },
    ]);
    const s2 = await when(s1.state, tap('rsv:r_later', 'sam. 28 nov. à 19 h 30'));
    expect(said(s2.replies)).toEqual([
      'Souhaitez-vous annuler votre table pour 1 personne le sam. 28 nov. à 19 h 30 ?',
    ]);
    expect(titles(s2.replies[0])).toEqual(['Oui, annuler', 'La garder']);
    const s3 = await when(s2.state, tap('cancel:yes', 'Oui, annuler'), [
      { kind: 'cancelled', result: { ok: true, reservation: later } },
    ]);
    expect(said(s3.replies)).toEqual([
      'Votre réservation du sam. 28 nov. à 19 h 30 est annulée. Au plaisir de vous accueillir une prochaine fois.',
    ]);
  });

  it('keeps the reservation on a typed "non merci" and explains a refusal past the cutoff', async () => {
    const s1 = await when(greeted('fr'), turn('annuler', { intent: 'CANCEL', language: 'fr' }), [
      listed(reservation()),
    ]);
    const kept = await when(s1.state, turn('non merci', { intent: 'OTHER', language: 'fr' }));
    expect(kept.calls).toEqual([]);
    expect(said(kept.replies)).toEqual(['Très bien, votre réservation reste inchangée.']);
    const late = await when(s1.state, tap('cancel:yes', 'Oui, annuler'), [
      { kind: 'cancelled', result: { ok: false, code: 'TOO_LATE' } },
    ]);
    expect(said(late.replies)).toEqual([
      "Malheureusement, il est trop tard pour modifier cette réservation en ligne. Merci d'appeler le restaurant.",
    ]);
  });

  it('shows the menu in French: sections, a section’s dishes, one dish, prices with a decimal comma', async () => {
    const s1 = await when(greeted('fr'), turn('la carte svp', { intent: 'MENU', language: 'fr' }), [
      { kind: 'menu', result: { ok: true, categories: MENU } },
    ]);
    expect(s1.replies[0]).toMatchObject({ kind: 'list', button: 'Carte' });
    expect(plain(s1.replies[0]?.body)).toBe('Voici notre carte. Choisissez une rubrique :');
    const s2 = await when(s1.state, tap('menu:Entrées', 'Entrées'), [
      { kind: 'menu', result: { ok: true, categories: MENU, category: 'Entrées' } },
    ]);
    expect(plain(s2.replies[0]?.body)).toBe('Entrées : choisissez un plat pour en savoir plus.');
    expect(rowsOf(s2.replies[0])).toEqual([
      { id: 'item:hummus', title: 'Houmous', description: '28,00\u00a0AED · Pois chiches et tahini' },
    ]);
    const s3 = await when(s2.state, tap('item:hummus', 'Houmous'), [
      { kind: 'menu', result: { ok: true, categories: MENU, item: 'hummus' } },
    ]);
    expect(said(s3.replies)).toEqual(['Houmous – 28,00 AED\nPois chiches et tahini']);
    expect(catalogueFor('fr').price(1250, 'EUR')).toBe('1\u202f250,00\u00a0EUR');
    const failed = await when(greeted('fr'), turn('carte', { intent: 'MENU', language: 'fr' }), [
      { kind: 'menu', result: { ok: false, code: 'UNAVAILABLE' } },
    ]);
    expect(said(failed.replies)).toEqual([
      'Je ne peux pas obtenir cette information pour le moment. Merci de réessayer dans une minute.',
    ]);
  });

  it('answers opening hours in French, days grouped and hours written as French writes them', async () => {
    const { replies } = await when(
      greeted('fr'),
      turn('vous êtes ouverts quand ?', { intent: 'HOURS', language: 'fr' }),
    );
    expect(said(replies)).toEqual([
      'Nos horaires :\nDu lundi au jeudi : de 12 h à 15 h et de 18 h à 23 h 30\nVendredi et samedi : de 18 h à 1 h\nDimanche : fermé',
    ]);
  });

  it('hands over to a person in French, and thanks and not-understood are French too', async () => {
    const human = await when(
      greeted('fr'),
      turn("je voudrais parler à quelqu'un", { intent: 'HUMAN', language: 'fr' }),
    );
    expect(said(human.replies)).toEqual(['Un membre de notre équipe va vous répondre ici très bientôt.']);
    const thanks = await when(greeted('fr'), turn('merci beaucoup', { intent: 'THANKS', language: 'fr' }));
    expect(said(thanks.replies)).toEqual(['Avec plaisir !']);
    const other = await when(greeted('fr'), turn('mdr', { intent: 'OTHER', language: 'fr' }));
    expect(said(other.replies)).toEqual([
      "Pardon, je n'ai pas compris. Je peux réserver, modifier ou annuler une table, ou vous montrer la carte et les horaires.",
    ]);
  });

  it('keeps answering in French when a message carries no language ("4"), and follows a guest who switches to Spanish', async () => {
    const s1 = await when(
      greeted('fr'),
      turn('réserver', { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00' }, language: 'fr' }),
    );
    const s2 = await when(
      s1.state,
      { ...turn('4'), understanding: { intent: 'OTHER', entities: { partySize: 4 }, source: 'rules' } },
      [available],
    );
    expect(s2.state.language).toBe('fr');
    expect(said(s2.replies)[0]).toMatch(/^Bonne nouvelle : nous avons une table pour 4 personnes/);
    const s3 = await when(
      s2.state,
      turn('Camila', { intent: 'OTHER', entities: { guestName: 'Camila' }, language: 'es' }),
    );
    expect(s3.state.language).toBe('es');
    expect(s3.replies[0]?.body).toMatch(
      /^Una mesa para 4 personas el mar 24 nov a las 20:00, a nombre de Camila/,
    );
  });
});
