import { dayOfMonth, isoWeekday, monthOf } from './calendar.js';
import type { Catalogue } from './catalogue.js';

// French writes weekdays and months in lower case; abbreviations as CLDR's "fr" (mar., févr., sept.).
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const WEEKDAYS_SHORT = ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'];
const MONTHS = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];

/** No-break spaces: a line never breaks before "?" or between "20" and "h". */
const NBSP = '\u00a0';
const NNBSP = '\u202f';

/**
 * French punctuation: a narrow no-break space before ? ! ; and inside « », a no-break space before
 * a colon (Lexique des règles typographiques en usage à l'Imprimerie nationale). Applied to the
 * phrasing only, never to what is interpolated (a guest's name stays as typed).
 */
function fr(strings: TemplateStringsArray, ...values: unknown[]): string {
  const typeset = (part: string) =>
    part
      .replace(/ ([?!;»])/g, `${NNBSP}$1`)
      .replace(/« /g, `«${NNBSP}`)
      .replace(/ :/g, `${NBSP}:`);
  return strings.reduce(
    (out, part, i) => out + typeset(part) + (i < values.length ? String(values[i]) : ''),
    '',
  );
}

/** "20 h", "20 h 30", "1 h": the 24-hour clock as French writes it. */
const clock = (time: string) => {
  const [hours = '0', minutes = '00'] = time.split(':');
  return minutes === '00' ? `${Number(hours)}${NBSP}h` : `${Number(hours)}${NBSP}h${NBSP}${minutes}`;
};
const dayAndMonth = (date: string) => `${dayOfMonth(date)} ${MONTHS[monthOf(date) - 1] ?? ''}`;
/** "mar. 24 nov.". */
const short = (date: string) => `${WEEKDAYS_SHORT[isoWeekday(date) - 1] ?? ''} ${dayAndMonth(date)}`;
const guests = (n: number) => (n === 1 ? '1 personne' : `${n} personnes`);
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const and = new Intl.ListFormat('fr', { type: 'conjunction' });
/** "28,00", "1 250,00": a decimal comma and thin spaces between thousands (CLDR's "fr"). */
const decimals = new Intl.NumberFormat('fr', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Button titles allow 20 characters: "mer. 25 févr. 20 h 30" has 21, so the weekday goes. */
const BUTTON_TITLE = 20;

const REFUSALS: Record<string, string> = {
  NO_CAPACITY: 'Malheureusement, ce créneau est complet.',
  CLOSED: 'Malheureusement, nous sommes fermés à ce moment-là.',
  PARTY_TOO_LARGE: 'Malheureusement, ce groupe est trop nombreux pour une réservation en ligne.',
  TOO_SOON: 'Malheureusement, ce créneau est trop proche pour une réservation en ligne.',
  BEYOND_HORIZON: "Malheureusement, nous ne prenons pas encore de réservations aussi longtemps à l'avance.",
  TOO_LATE:
    "Malheureusement, il est trop tard pour modifier cette réservation en ligne. Merci d'appeler le restaurant.",
  ALREADY_CANCELLED: 'Cette réservation est déjà annulée.',
  NOT_FOUND: 'Malheureusement, je ne trouve pas cette réservation.',
};

/** French as a restaurant host writes it to a guest: polite, with vous. */
export const french: Catalogue = {
  when: (date, time) => `${short(date)} à ${clock(time)}`,
  slotTitle: (date, time, sameDay) => {
    if (sameDay) return clock(time);
    const full = `${short(date)} ${clock(time)}`;
    return full.length <= BUTTON_TITLE ? full : `${dayAndMonth(date)} ${clock(time)}`;
  },
  weekday: (day) => WEEKDAYS[day - 1] ?? '',
  defaultGreeting: (name) => fr`Bienvenue chez ${name} !`,
  howCanIHelp: fr`Comment puis-je vous aider aujourd'hui ?`,
  menuButtons: { book: 'Réserver une table', menu: 'Carte', hours: 'Horaires' },
  askDate: fr`Pour quel jour souhaitez-vous réserver ?`,
  flowOffer: fr`Appuyez ci-dessous pour choisir le jour, l'heure et le nombre de personnes, ou écrivez-les simplement ici. Pour quel jour souhaitez-vous réserver ?`,
  flowCta: 'Choisir un horaire',
  askTime: fr`À quelle heure ?`,
  askPartySize: fr`Pour combien de personnes ?`,
  askName: fr`À quel nom dois-je réserver ?`,
  useProfileName: (name) => fr`Ou appuyez ci-dessous pour réserver au nom de « ${name} ».`,
  dateInPast: fr`Ce jour est déjà passé. Quel jour souhaitez-vous ?`,
  partyNoted: (n) => fr`Pour ${guests(n)}, c'est noté.`,
  slotFree: (n, when) => fr`Bonne nouvelle : nous avons une table pour ${guests(n)} le ${when}.`,
  partyTooLarge: (max, phone) =>
    fr`En ligne, je peux réserver pour ${guests(max)} au maximum. Pour un groupe plus nombreux, notre équipe vous aidera volontiers : appuyez ci-dessous et quelqu'un vous répondra ici${phone ? `, ou appelez-nous au ${phone}` : ''}. Vous pouvez aussi m'indiquer un nombre de personnes plus petit.`,
  talkToTeam: "Parler à l'équipe",
  summary: (b, when) =>
    fr`Une table pour ${guests(b.partySize)} le ${when}, au nom de ${b.name}. Puis-je confirmer la réservation ?`,
  confirmButtons: { confirm: 'Confirmer', change: 'Modifier', cancel: 'Annuler' },
  reminder: (when, partySize) => `Petit rappel de votre table pour ${partySize} le ${when}. Serez-vous là ?`,
  reminderButtons: { confirm: 'Confirmer', cancel: 'Annuler', late: 'En retard' },
  noShow: (when) =>
    `Vous nous avez manqué aujourd’hui (votre table du ${when}). Nous espérons que tout va bien : répondez ici quand vous souhaitez réserver une autre fois.`,
  askLateMinutes: 'Merci de nous prévenir. Combien de minutes de retard environ ?',
  lateNoted: (minutes) => `Merci, nous avons prévenu l’équipe de votre retard d’environ ${minutes} minutes.`,
  reminderConfirmed: (when) => `Merci, à ${when} !`,
  feedbackAsk: "Comment s'est passée votre visite ? Notez-la de 1 à 5.",
  feedbackListButton: 'Noter la visite',
  feedbackRatings: ['1 – Décevante', '2 – Moyenne', '3 – Bonne', '4 – Très bonne', '5 – Excellente'],
  feedbackAskComment: 'Merci ! Quelque chose à nous dire ? (ou « non »)',
  feedbackThanks: 'Merci pour votre avis !',
  whatToChange: fr`Bien sûr. Envoyez-moi le nouveau jour, l'heure ou le nombre de personnes.`,
  bookingStopped: fr`Très bien, je n'ai rien réservé.`,
  booked: (b, when, reference) =>
    fr`C'est réservé : une table pour ${guests(b.partySize)} le ${when}, au nom de ${b.name}. Référence ${reference}. À bientôt !`,
  slotTaken: (when) => fr`Malheureusement, nous sommes complets le ${when}.`,
  closedThen: (when) => fr`Malheureusement, nous ne prenons pas de réservations le ${when}.`,
  nearestSlots: fr`Voici les créneaux libres les plus proches :`,
  waitlistOption: fr`Ou inscrivez-vous sur la liste d'attente : je vous écrirai si une table se libère.`,
  joinWaitlistButton: "Liste d'attente",
  waitlistJoined: (n, when) =>
    fr`Vous êtes sur la liste d'attente pour ${guests(n)} le ${when}. Si une table se libère, je vous écrirai ici et elle vous sera réservée quelques minutes.`,
  waitlistNotNeeded: (when) =>
    fr`Bonne nouvelle : une table est libre le ${when} maintenant. Touchez « Réserver une table » pour la réserver.`,
  waitlistOffer: (n, when, until) =>
    fr`Une table pour ${guests(n)} le ${when} vient de se libérer. Elle vous est réservée jusqu'à ${until} : touchez Confirmer pour la réserver.`,
  confirmOfferButton: 'Confirmer',
  offerGone: fr`Désolé, cette table ne vous est plus réservée : l'offre a expiré.`,
  noSlotsNear: (when) =>
    fr`Malheureusement, je n'ai trouvé aucune table libre autour du ${when}. Quel autre jour ou quelle autre heure vous conviendrait ?`,
  refused: (code) => REFUSALS[code] ?? "Malheureusement, cela n'a pas fonctionné.",
  checkFailed: fr`Je ne peux pas consulter les réservations pour le moment. Merci de réessayer dans une minute.`,
  noUpcoming: fr`Je n'ai trouvé aucune réservation à venir pour ce numéro.`,
  whichReservation: (purpose) =>
    purpose === 'cancel'
      ? fr`Quelle réservation souhaitez-vous annuler ?`
      : fr`Quelle réservation souhaitez-vous modifier ?`,
  listButton: 'Réservations',
  reservationRow: (r, when) => ({ title: when, description: `${guests(r.partySize)}, ${r.name}` }),
  confirmCancel: (r, when) => fr`Souhaitez-vous annuler votre table pour ${guests(r.partySize)} le ${when} ?`,
  cancelButtons: { yes: 'Oui, annuler', no: 'La garder' },
  cancelled: (when) =>
    fr`Votre réservation du ${when} est annulée. Au plaisir de vous accueillir une prochaine fois.`,
  keptReservation: fr`Très bien, votre réservation reste inchangée.`,
  askChange: (when) =>
    fr`Votre réservation est prévue le ${when}. Que souhaitez-vous changer : le jour, l'heure ou le nombre de personnes ?`,
  confirmChange: (r, when, partySize, newWhen) =>
    fr`Souhaitez-vous remplacer votre table pour ${guests(r.partySize)} le ${when} par une table pour ${guests(partySize)} le ${newWhen} ?`,
  changeButtons: { yes: 'Oui, modifier', no: 'La garder' },
  modified: (r, when) => fr`C'est fait : votre table pour ${guests(r.partySize)} est désormais le ${when}.`,
  hours: (lines) => fr`Nos horaires :\n${lines.join('\n')}`,
  hoursLine: (days, hours) => fr`${days} : ${hours}`,
  closedDay: 'fermé',
  dayRange: (from, to) => {
    if (from === to) return capitalized(from);
    // Two days in a row read "vendredi et samedi"; more, "du lundi au jeudi".
    const next = WEEKDAYS.indexOf(to) - WEEKDAYS.indexOf(from) === 1;
    return next ? `${capitalized(from)} et ${to}` : `Du ${from} au ${to}`;
  },
  intervals: (list) => and.format(list.map((i) => `de ${clock(i.start)} à ${clock(i.end)}`)),
  menuIntro: fr`Voici notre carte. Choisissez une rubrique :`,
  menuButton: 'Carte',
  menuCategory: (name) => fr`${name} : choisissez un plat pour en savoir plus.`,
  menuEmpty: fr`Notre carte n'est pas encore disponible ici, veuillez nous en excuser.`,
  menuItem: (name, description, price) => [`${name} – ${price}`, description].filter(Boolean).join('\n'),
  price: (amount, currency) => `${decimals.format(amount)}${NBSP}${currency}`,
  unavailable: fr`Je ne peux pas obtenir cette information pour le moment. Merci de réessayer dans une minute.`,
  handoff: fr`Un membre de notre équipe va vous répondre ici très bientôt.`,
  thanks: fr`Avec plaisir !`,
  notUnderstood: fr`Pardon, je n'ai pas compris. Je peux réserver, modifier ou annuler une table, ou vous montrer la carte et les horaires.`,
  notText: fr`Je ne peux lire que les messages texte. Comment puis-je vous aider ?`,
  rateLimited: fr`Vous envoyez des messages très rapidement. Je vous répondrai de nouveau dans une minute.`,
  oneMoment: fr`Un instant, s'il vous plaît, je suis à vous tout de suite.`,
};
