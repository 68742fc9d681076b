import { dayOfMonth, isoWeekday, monthOf } from './calendar.js';
import type { Catalogue } from './catalogue.js';

// Spanish writes weekdays and months in lower case; abbreviations as CLDR's "es" (mar, mié, sept).
const WEEKDAYS = ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'];
const WEEKDAYS_SHORT = ['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'];
const MONTHS = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'];

/** "mar 24 nov". */
const short = (date: string) =>
  `${WEEKDAYS_SHORT[isoWeekday(date) - 1] ?? ''} ${dayOfMonth(date)} ${MONTHS[monthOf(date) - 1] ?? ''}`;
/** "a las 20:00", but "a la 01:30": the article agrees with the hour. */
const atTime = (time: string) => (time.startsWith('01:') ? `a la ${time}` : `a las ${time}`);
const guests = (n: number) => (n === 1 ? '1 persona' : `${n} personas`);
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const and = new Intl.ListFormat('es', { type: 'conjunction' });
/** "28,00": a decimal comma; CLDR groups thousands only from five digits in Spanish. */
const decimals = new Intl.NumberFormat('es', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const REFUSALS: Record<string, string> = {
  NO_CAPACITY: 'Lo sentimos, a esa hora no quedan mesas.',
  CLOSED: 'Lo sentimos, a esa hora estamos cerrados.',
  PARTY_TOO_LARGE: 'Lo sentimos, ese grupo es más grande de lo que podemos reservar en línea.',
  TOO_SOON: 'Lo sentimos, falta muy poco para esa hora y ya no se puede reservar en línea.',
  BEYOND_HORIZON: 'Lo sentimos, todavía no aceptamos reservas con tanta antelación.',
  TOO_LATE: 'Lo sentimos, ya no es posible cambiar esta reserva en línea. Por favor, llame al restaurante.',
  ALREADY_CANCELLED: 'Esa reserva ya está cancelada.',
  NOT_FOUND: 'Lo sentimos, no he encontrado esa reserva.',
};

/** Spanish as a restaurant host writes it to a guest: polite, with usted. */
export const spanish: Catalogue = {
  when: (date, time) => `${short(date)} ${atTime(time)}`,
  slotTitle: (date, time, sameDay) => (sameDay ? time : `${short(date)} ${time}`),
  weekday: (day) => WEEKDAYS[day - 1] ?? '',
  defaultGreeting: (name) => `¡Le damos la bienvenida a ${name}!`,
  howCanIHelp: '¿En qué puedo ayudarle hoy?',
  menuButtons: { book: 'Reservar mesa', menu: 'Carta', hours: 'Horario' },
  askDate: '¿Para qué día desea la mesa?',
  flowOffer:
    'Pulse abajo para elegir día, hora y número de personas, o escríbalos aquí. ¿Para qué día desea la mesa?',
  flowCta: 'Elegir horario',
  askTime: '¿A qué hora?',
  askPartySize: '¿Para cuántas personas?',
  askName: '¿A nombre de quién hago la reserva?',
  useProfileName: (name) => `O toque abajo para reservar a nombre de «${name}».`,
  dateInPast: 'Ese día ya ha pasado. ¿Qué día desea?',
  partyNoted: (n) => `Para ${guests(n)}, anotado.`,
  slotFree: (n, when) => `Buenas noticias: hay mesa para ${guests(n)} el ${when}.`,
  partyTooLarge: (max, phone) =>
    `En línea puedo reservar para un máximo de ${guests(max)}. Para un grupo más grande, nuestro equipo le ayudará con gusto: toque abajo y una persona le responderá aquí${phone ? `, o llámenos al ${phone}` : ''}. También puede indicarme un número menor de personas.`,
  talkToTeam: 'Hablar con el equipo',
  summary: (b, when) =>
    `Una mesa para ${guests(b.partySize)} el ${when}, a nombre de ${b.name}. ¿La reservo?`,
  confirmButtons: { confirm: 'Confirmar', change: 'Cambiar', cancel: 'Cancelar' },
  reminder: (when, partySize) => `Le recordamos su mesa para ${partySize} el ${when}. ¿Nos acompañará?`,
  reminderButtons: { confirm: 'Confirmar', cancel: 'Cancelar', late: 'Llego tarde' },
  noShow: (when) =>
    `Hoy le echamos de menos (su mesa del ${when}). Esperamos que todo esté bien: responda aquí cuando quiera reservar en otro momento.`,
  askLateMinutes: 'Gracias por avisarnos. ¿Cuántos minutos de retraso, más o menos?',
  lateNoted: (minutes) => `Gracias, hemos avisado al equipo de que llegará unos ${minutes} minutos tarde.`,
  reminderConfirmed: (when) => `¡Gracias, le esperamos el ${when}!`,
  feedbackAsk: '¿Qué tal su visita? Valórela de 1 a 5.',
  feedbackListButton: 'Valorar visita',
  feedbackRatings: ['1 – Mala', '2 – Regular', '3 – Buena', '4 – Muy buena', '5 – Excelente'],
  feedbackAskComment: '¡Gracias! ¿Algo que quiera contarnos? (o "no")',
  feedbackThanks: '¡Gracias por su opinión!',
  whatToChange: 'Claro. Envíeme el nuevo día, la hora o el número de personas.',
  bookingStopped: 'No hay problema, no he reservado nada.',
  booked: (b, when, reference) =>
    `Reserva confirmada: una mesa para ${guests(b.partySize)} el ${when}, a nombre de ${b.name}. Referencia ${reference}. ¡Le esperamos!`,
  slotTaken: (when) => `Lo sentimos, no quedan mesas el ${when}.`,
  closedThen: (when) => `Lo sentimos, no aceptamos reservas el ${when}.`,
  nearestSlots: 'Estas son las horas libres más cercanas:',
  waitlistOption: 'O apúntese a la lista de espera: le escribiré si se libera una mesa.',
  joinWaitlistButton: 'Lista de espera',
  waitlistJoined: (n, when) =>
    `Está en la lista de espera para ${guests(n)} el ${when}. Si se libera una mesa le escribiré aquí y se la guardaremos un rato.`,
  waitlistNotNeeded: (when) =>
    `Buenas noticias: ahora hay mesa el ${when}. Pulse "Reservar mesa" para reservarla.`,
  waitlistOffer: (n, when, until) =>
    `Se acaba de liberar una mesa para ${guests(n)} el ${when}. Se la guardamos hasta las ${until}: pulse Confirmar para reservarla.`,
  confirmOfferButton: 'Confirmar',
  offerGone: 'Lo siento, esa mesa ya no está reservada para usted: la oferta ha caducado.',
  noSlotsNear: (when) =>
    `Lo sentimos, no he encontrado ninguna mesa libre cerca del ${when}. ¿Qué otro día u hora le vendría bien?`,
  refused: (code) => REFUSALS[code] ?? 'Lo sentimos, no ha sido posible.',
  checkFailed: 'Lo siento, ahora mismo no puedo consultar las reservas. Inténtelo de nuevo en un minuto.',
  noUpcoming: 'No he encontrado ninguna reserva próxima para este número.',
  whichReservation: (purpose) =>
    purpose === 'cancel' ? '¿Qué reserva desea cancelar?' : '¿Qué reserva desea cambiar?',
  listButton: 'Reservas',
  reservationRow: (r) => ({
    title: `${short(r.date)} ${r.time}`,
    description: `${guests(r.partySize)}, ${r.name}`,
  }),
  confirmCancel: (r, when) => `¿Desea cancelar su mesa para ${guests(r.partySize)} del ${when}?`,
  cancelButtons: { yes: 'Sí, cancelarla', no: 'Mantenerla' },
  cancelled: (when) => `Su reserva del ${when} está cancelada. Esperamos verle en otra ocasión.`,
  keptReservation: 'De acuerdo, su reserva sigue como estaba.',
  askChange: (when) =>
    `Su reserva es el ${when}. ¿Qué desea cambiar: el día, la hora o el número de personas?`,
  confirmChange: (r, when, partySize, newWhen) =>
    `¿Desea cambiar su mesa para ${guests(r.partySize)} del ${when} por una mesa para ${guests(partySize)} el ${newWhen}?`,
  changeButtons: { yes: 'Sí, cambiarla', no: 'Mantenerla' },
  modified: (r, when) => `Hecho: su mesa para ${guests(r.partySize)} es ahora el ${when}.`,
  hours: (lines) => `Nuestro horario:\n${lines.join('\n')}`,
  hoursLine: (days, hours) => `${days}: ${hours}`,
  closedDay: 'cerrado',
  dayRange: (from, to) => {
    if (from === to) return capitalized(from);
    // Two days in a row read "viernes y sábado"; more, "de lunes a jueves".
    const next = WEEKDAYS.indexOf(to) - WEEKDAYS.indexOf(from) === 1;
    return next ? `${capitalized(from)} y ${to}` : `De ${from} a ${to}`;
  },
  intervals: (list) => and.format(list.map((i) => `${i.start}–${i.end}`)),
  menuIntro: 'Esta es nuestra carta. Elija una sección:',
  menuButton: 'Carta',
  menuCategory: (name) => `${name}: elija un plato para ver los detalles.`,
  menuEmpty: 'Lo sentimos, nuestra carta aún no está disponible aquí.',
  menuItem: (name, description, price) => [`${name} – ${price}`, description].filter(Boolean).join('\n'),
  price: (amount, currency) => `${decimals.format(amount)} ${currency}`,
  unavailable: 'Lo siento, ahora mismo no puedo consultarlo. Inténtelo de nuevo en un minuto.',
  handoff: 'Una persona de nuestro equipo le responderá aquí en breve.',
  thanks: '¡Con mucho gusto!',
  notUnderstood:
    'Disculpe, no le he entendido. Puedo reservar, cambiar o cancelar una mesa, o mostrarle la carta y el horario.',
  notText: 'Lo siento, solo puedo leer mensajes de texto. ¿En qué puedo ayudarle?',
  rateLimited: 'Está enviando mensajes muy seguidos. Le responderé de nuevo en un minuto.',
  oneMoment: 'Un momento, por favor; enseguida le atiendo.',
};
