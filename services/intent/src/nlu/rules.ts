import { hhmm, localParts } from '@reserveit/time';
import { arabicWhen, dinnerHour, type FoundWhen, withHourAfterDay } from './arabic-when.js';
import { arabicComeInstead } from './come-instead.js';
import { bareName, findGuestName, onlyNameGiven } from './guest-name.js';
import { heldBookingIntent } from './held-booking.js';
import { isIdentityQuestion } from './identity-question.js';
import { classifyIntent } from './intent-classifier.js';
import { interpretInteractive } from './interactive.js';
import { detectLanguage } from './language.js';
import { latinWhen } from './latin-when.js';
import { INTENT_CUES, NOT_COMING } from './lexicon.js';
import { findMenuTerms } from './menu-terms.js';
import { decideIntent } from './model/decide-intent.js';
import type { IntentModel } from './model/intent-model.js';
import { withoutNonSlotNumbers } from './non-slot-numbers.js';
import { anyOf, normalize } from './normalize.js';
import { bareNumber, findPartySize } from './party-size.js';
import { askedBeforeBooking } from './question-topic.js';
import type { Entities, Interpretation, InterpretInput } from './types.js';
import { withoutVenueName } from './venue-name.js';

const ARABIC = /[\u0600-\u06ff]/;
/**
 * "Book & Bite مفتوحين الحين؟", "Table & Co": capitalized words joined by "&" name a restaurant, whose
 * keywords ask for nothing (issue 17); the rest of the message is read without them.
 */
const AMPERSAND_NAME =
  /\p{Lu}[\p{L}'’]*(?:\s+\p{Lu}[\p{L}'’]*)*\s*&\s*\p{Lu}[\p{L}'’]*(?:\s+\p{Lu}[\p{L}'’]*)*/gu;
/** The greeting cues, to read "hello we are 2" as a count said with a greeting (Latin script only). */
const GREETING_WORDS = (INTENT_CUES.find((cue) => cue.intent === 'GREETING')?.cues ?? []).map(
  (cue) => new RegExp(cue.source, `${cue.flags}g`),
);
/** Cheap gate before chrono-node, which costs most of a call: no digit and no date word, no date. */
const MAY_HOLD_WHEN =
  /\d|now|right away|ahora|ahorita|à soir|maintenant|tout de suite|immédiatement|tonight|today|tomorrow|noon|midnight|evening|night|morning|afternoon|week|weekend|day|mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half|quarter|hoy|mañana|manana|noche|tarde|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|demain|hier|soir|midi|minuit|medianoche|heure|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|aujourd/;

/**
 * A cancel word in a negation's reach: "no need to cancel", "no la cancelen", "pas d'annulation",
 * "لا تلغي", and French texting's negation after the verb ("on annule pas", "annulez pas svp").
 */
const NEGATED_CANCEL = new RegExp(
  `(?<![\\p{L}])annul\\p{L}*\\s+pas(?![\\p{L}])|(?<![\\p{L}])(?:no|not|dont|don't|never|pas|ne|n'|sin|${anyOf(['لا', 'ما', 'مو', 'مش', 'بلاش', 'مب'])})(?:\\s+|(?<=n'))(?:[\\p{L}'’]+\\s+){0,3}?(?:[dl]')?(?:cancel|annul|anul|${anyOf(['تلغ', 'الغ', 'نلغ', 'يلغ', 'تكنسل', 'كنسل', 'الغاء'])})`,
  'u',
);
const CANNOT_COME =
  /\b(?:can't|cannot|can not|won't) (?:make|come|do)\b|\b(?:peu[xt]|pourr[a-z]*|pouvons) pas (?:venir|être|etre|arriver)\b|\bc'est mort pour (?:nous|moi)\b|\b(?:nous |m')?(?:arrange|convient|va|marche) plus\b/u;
/**
 * Arabic "make it / move it / push it" ("نخليها بعد بكرة", "ننقله للخميس", "نأجله"): beside a day or
 * hour, what a guest who cannot come then asks for instead.
 */
const ARABIC_MOVE_TO = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['نخليها', 'نخليه', 'خلوها', 'خلوه', 'تخلوها', 'تخلوه', 'ننقله', 'ننقلها', 'انقله', 'انقلوه', 'نأجله', 'نأجلها', 'اجلوه', 'نقدمه', 'نقدمها'])})(?![\\p{L}])`,
  'u',
);
/**
 * A booking the guest already has ("عندي حجز السبت", "الموعد اللي حجزته ٨") and the value wanted
 * for it instead ("ابغاه الاحد", "بس ودي ٩", "ممكن اخليه ٩"): a change, though the words are those
 * of booking.
 */
const ARABIC_HELD_BOOKING = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['عندي حجز', 'عندنا حجز', 'حجزته', 'حجزتها', 'حجزناه', 'حجزناها'])})(?![\\p{L}])`,
  'u',
);
const ARABIC_WANTED_INSTEAD = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['ابغاه', 'ابغاها', 'ابيه', 'ابيها', 'نبيه', 'نبيها', 'نبغاه', 'نبغاها', 'بدي ياه', 'بدنا ياه', 'بدي اياه', 'اخليه', 'اخليها', 'نخليه', 'نخليها', 'بس ودي', 'بس ابي', 'بس بدي', 'بس ابغى', 'بس نبي', 'بس بدنا', 'لكن ودي', 'لكن ابي', 'لكن بدي', 'لكن ابغى'])})(?![\\p{L}])(?!\\s+(?:${anyOf(['اعرف', 'اسال', 'استفسر', 'افهم'])}))`,
  'u',
);
/** "الحجز", "حجزي", "حجزنا": the booking the guest already has. */
const ARABIC_THE_BOOKING = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['الحجز', 'حجزي', 'حجزنا'])})(?![\\p{L}])`,
  'u',
);
const CANCEL_POLICY =
  /\b(?:fee|fees|charge|charged|penalty|policy|frais|pénalité|politique|conditions|cargo|política)\b[^.?!]{0,20}?\b(?:cancel|annul|cancela)|\b(?:cancellation|annulation|cancelación) (?:fee|policy|charge)/u;
const CANCEL_THEN_BOOK =
  /\b(?:and|then|&|et|puis|y|luego)\s+(?:re)?(?:book|rebook|reserve|réserve[rz]?|reserve[rz]|reserva[rn]?|reservad)\b/u;
/** "ألغي الحجز تبع الليلة وخليه الخميس", "بدي الغي واحجز من جديد": cancelled and booked again or moved. */
const ARABIC_CANCEL_THEN = new RegExp(
  `(?<![\\p{L}])${normalize('و')}\\s*(?:${anyOf(['احجز', 'نحجز', 'نعيد الحجز', 'خليه', 'خليها', 'خلوه', 'خلوها', 'نخليه', 'نخليها', 'حطوه', 'حطوها'])})`,
  'u',
);
/**
 * A complaint about a visit ("الاكل كان بارد", "الخدمة سيئة", "عندي شكوى"): no question about the
 * menu though it names the food; OTHER, as the corpus labels it (a person asked for is HUMAN).
 */
const ARABIC_COMPLAINT = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['شكوى', 'اشتكي', 'نشتكي', 'سيء', 'سيئ', 'سيئه', 'زفت', 'ما عجبنا', 'ما عجبني', 'ماعجبنا', 'مو زين', 'مش كويس', 'قليل ذوق', 'زعلان', 'زعلانين', 'مالح كثير', 'مالح كتير', 'كان بارد', 'كانت بارده', 'وصل بارد', 'وصلني بارد', 'شعره في', 'تسمم'])})(?![\\p{L}])`,
  'u',
);
const GUEST_GONE =
  /\b(?:friend|friends|one|someone|somebody|he|she|they|guest|person|colleague|ami|amie|amis|quelqu'un|personne|il|elle|ils|elles|amigo|amiga|alguien)\s+(?:has\s+|have\s+|a\s+|ont\s+|s'est\s+|se sont\s+)?(?:cancelled|canceled|annulé|dropped out|désistée?s?|can't come|ne vient plus|cancel[oó])/u;
/** "no sorry, make it sunday", "non désolé, mettez dimanche": a value put in place of one given. */
const RETRACTED =
  /^(?:no|non|nope)\b[\s,]+(?:sorry|désolée?|perdón|perdon|pardon)\b|(?<!(?:to|not|n't|cannot)\s)\b(?:make it|make that|mettez|mets|mettons|ponla|pongan)\b/u;
const AFTERTHOUGHT = /\b(?:finalement|au final|en fin de compte|en fait|actually|al final|finalmente)\b/u;
const NEGATED_BOOKING = new RegExp(
  `(?<![\\p{L}])(?:not|don't|dont|do not|no need to|pas|no)\\s+(?:[\\p{L}'’]+\\s+){0,2}?(?:book|booking|reserve|reserving|reservation|réserver|reserver|réservation|reservar|reserva)(?![\\p{L}])|(?<![\\p{L}])(?:${anyOf(['ما', 'مو', 'مش', 'مب'])})\\s+(?:\\p{L}+\\s+)?(?:${anyOf(['احجز', 'نحجز'])})(?![\\p{L}])`,
  'u',
);
/** "لا ما نبي نغير شي" (we don't want to change anything): no change asked. */
const ARABIC_NO_CHANGE = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['ما', 'مو', 'مش', 'مب', 'لا'])})\\s+(?:\\p{L}+\\s+)?(?:${anyOf(['نغير', 'اغير', 'نعدل', 'اعدل', 'تغيرون', 'تغيروا', 'تعدلون', 'تعدلوا'])})\\s+(?:${anyOf(['شي', 'شيء', 'اشي', 'حاجه', 'حاجة', 'اي شي'])})(?![\\p{L}])`,
  'u',
);
const EARLIER_OR_LATER =
  /\b(?:plus tôt|plus tard|earlier|later|más temprano|mas temprano|más tarde|mas tarde)\b/u;
/** "21h au lieu de 20h", "trois au lieu de cinq": a value given in place of another. */
const INSTEAD = /\b(?:au lieu de|plutôt que|plutot que|instead of|rather than|en vez de|en lugar de)\b/u;
/**
 * "je voulais annuler puis finalement non, on garde la réservation mais à 20h30": the booking kept,
 * so no cancellation, though the message says "annuler".
 */
const KEPT_BOOKING =
  /\b(?:on|nous|je) (?:garde|gardons|conserve|conservons|maintient|maintiens|maintenons) (?:la|ma|notre) (?:réservation|reservation|résa|resa|table)\b|(?<!(?:don't|dont|not|never) )\b(?:keep|keeping) (?:the|my|our) (?:booking|reservation|table)\b|\b(?:mantenemos|mantengo|dejamos) (?:la|mi|nuestra) reserva\b/u;
/**
 * "Bonsoir, faites-vous la vente à emporter ?", "plats à emporter": takeaway and delivery, which
 * every corpus file labels OTHER (no table, no question about the dining room's menu).
 */
const TAKEAWAY =
  /(?<![\p{L}])(?:à emporter|a emporter|pour emporter|livraison|livrez|take ?away|takeout|take-out|para llevar|a domicilio|delivery|deliver)(?![\p{L}])/u;
/**
 * Whether a booking stands ("Ma réservation de samedi tient toujours ?", "is my booking still on?"):
 * a question about the booking held, OTHER in the corpus ("Est-ce que ma réservation est bien
 * confirmée ?"), not a new one.
 */
const BOOKING_STILL_ON =
  /\b(?:je|nous) (?:vous )?(?:confirme|confirmons) (?:juste |bien )?(?:notre|ma) venue\b|\b(?:tient|tiennent) toujours\b|\b(?:c'est|est|ça|ca) toujours (?:ok|bon|d'accord|confirmé|maintenu)(?![\p{L}])|\b(?:est|c'est) (?:bien )?(?:confirmée|confirmee|notée|notee|enregistrée|enregistree)\b|\bvérifier (?:ma|notre|la) (?:réservation|resa|résa)\b|\bstill on\b/u;
/**
 * "la carte change souvent ?", "le menu du jour change tous les jours ?", "vos horaires changent en
 * été ?", "does the menu change?", "¿cambian la carta?": the menu or the hours as what changes is a
 * question about them, no change to a booking (unless the message names one: BOOKING_WORD).
 */
/**
 * "تمام اكدوا الحجز", "ابي اتأكد من حجزي", "حجزنا مأكد؟", "تم الحجز؟": the booking held confirmed or checked, OTHER
 * as corpus/en.jsonl and fr.jsonl label it ("just confirming my booking for tonight"), unless a
 * table is asked for beside it (ARABIC_BOOK_VERB) or a count given.
 */
const ARABIC_BOOKING_CONFIRMED = new RegExp(
  `(?<![\\p{L}])(?:(?:${anyOf(['اكدوا', 'اكدو', 'اكدولي', 'اكدولنا', 'اكد', 'تاكدوا', 'اتاكد', 'نتاكد', 'تتاكدوا'])})\\s+(?:(?:${anyOf(['لي', 'لنا', 'من'])})\\s+)?(?:${anyOf(['الحجز', 'حجزي', 'حجزنا'])})|(?:${anyOf(['الحجز', 'حجزي', 'حجزنا'])})\\s+(?:${anyOf(['مؤكد', 'ماكد', 'مأكد', 'مثبت', 'مسجل'])})|${normalize('تم')}\\s+(?:${anyOf(['الحجز', 'حجزي', 'حجزنا'])})(?=\\s*[?]))(?![\\p{L}])`,
  'u',
);
const ARABIC_BOOK_VERB = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['احجز', 'نحجز', 'طاولة', 'احجزوا', 'احجزولي'])})`,
  'u',
);
const SUBJECT_CHANGES =
  /\b(?:(la carte|le menu|les menus|menu du jour|plats? du jour|les plats|la formule|les prix|vos prix|les horaires|vos horaires|l'horaire|the menu|your menu|the specials|the hours|your hours|opening hours|el menú|el menu|la carta|los precios|el horario|los horarios)\s+(?:[\p{L}'’]+\s+){0,2}?(?:(?:ont |a )?(?:changé|évolué)|change|changent|changera|changeront|varie|varient|évolue|évoluent|changes|changing|changed|cambia|cambian|varía|varían|cambió|cambiado)|(?:changez|changer|cambian|cambiar|cambia|change)\s+(?:souvent\s+|de\s+)?(la carte|le menu|carte|menu|el menú|el menu|la carta|los horarios|vos horaires|les horaires))(?![\p{L}])/u;
const BOOKING_WORD = /\b(?:réservation|reservation|résa|resa|table|booking|reserva|mesa)\b/u;
/** "ça va ?", "j'espère que vous allez bien", "how are you?", "¿qué tal?": a greeting's own question. */
const HOW_ARE_YOU =
  /\b(?:ça va|ca va|comment allez|comment vas|comment ça va|allez bien|espère que vous|how are you|how r u|hope you|qué tal|que tal|cómo est|como est)\b/u;
/**
 * Arriving late ("on arrive dans vingt minutes", "on aura 10 minutes de retard", "we're running
 * late"): a change to the booking held, as the corpus labels it, though "gardez-nous la table"
 * sounds like booking one.
 */
const LATE_ARRIVAL =
  /(?<![\p{L}])(?:en retard|de retard|du retard|running late|be late|llegaremos tarde|llegamos tarde|con retraso)(?![\p{L}])|(?<![\p{L}])(?:arriv\p{L}*|sommes là|serons là|sera là|on est là)\s+dans\s+(?:\S+\s+){1,3}?minutes(?![\p{L}])/u;
/** "je vous donne l'info, on sera 5", "nous serons 4": a count told of, with no question. */
const WILL_BE_COUNT = /\b(?:on sera|nous serons|on est|nous sommes)\s+\d/u;
/** "on était 4, on sera 5", "we were 6": the count the booking had, before the new one. */
const WAS_COUNT =
  /\b(?:on était|on etait|nous étions|nous etions|we were|éramos|eramos)\s+(?:\d|deux|trois|quatre|cinq|six|sept|huit|two|three|four|five|six|seven|eight|dos|tres|cuatro|cinco|seis)/u;
/**
 * A booking the guest already holds ("pour notre réservation de demain", "pour la résa de ce soir", "on a réservé pour jeudi",
 * "j'ai une table samedi", "my booking", "tenemos reserva"): its day beside a question is no request
 * for another table.
 */
const HELD_BOOKING =
  /\b(?:(?:notre|ma) (?:réservation|reservation|résa|resa)|la (?:réservation|reservation|résa|resa) d[eu]|(?:on a|nous avons|j'ai|j'avais|on avait) (?:réservé|reservé|reserve|une table)|(?:our|my) (?:booking|reservation)|we (?:have a|booked)|i (?:have a|booked)|(?:mi|nuestra) reserva|tenemos (?:una )?reserva|reservamos)(?![\p{L}])/u;
const NEW_BOOKING = /\b(?:new|another|second|nueva|nuevo|otra reserva|nouvelle|nouveau)\b|جديد/u;

/**
 * "شكرا على الحجز", "thanks for the booking", "تسلمون، وصلنا تأكيد الحجز", "يسلمو، الحجز تمام": beside
 * thanks, a booking made, found fine or its confirmation received, no request to make one.
 */
const BOOKING_DONE = new RegExp(
  `(?<![\\p{L}])(?:(?:${anyOf(['الحجز', 'حجزي', 'حجزنا'])})\\s+(?:${anyOf(['تمام', 'اوكي', 'مضبوط', 'وصل', 'وصلني', 'وصلنا'])})|(?:for|por|pour|${anyOf(['على'])})\\s*(?:the|your|la|su|votre|my|our)?\\s*(?:booking|reservation|reserva|réservation|${anyOf(['الحجز', 'حجز', 'التاكيد'])})|(?:got|received|${anyOf(['وصلنا', 'وصلني', 'وصلت', 'وصلتني', 'استلمنا', 'استلمت'])})\\s+(?:the\\s+)?(?:${anyOf(['رساله', 'رسالة'])}\\s+)?(?:confirmation|${anyOf(['تاكيد', 'التاكيد'])})(?:\\s+(?:${anyOf(['الحجز'])}))?)(?![\\p{L}])`,
  'u',
);

/** The thanks cues, to tell thanks for a visit praised from a question about its food. */
/** "مشكورين على الاستقبال" (thanks for the welcome): thanks for a visit, no call for the reception. */
const WELCOME_THANKED = new RegExp(
  `(?<![\\p{L}])${normalize('على')}\\s+(?:${normalize('حسن')}\\s+)?(?:${anyOf(['الاستقبال', 'الضيافه', 'الضيافة', 'استقبالكم', 'ضيافتكم'])})(?![\\p{L}])`,
  'u',
);
const THANKS_WORDS = INTENT_CUES.find((cue) => cue.intent === 'THANKS')?.cues ?? [];
/** "الاكل كان روعة", "كل شي تجنن": praise of a visit, beside thanks no question about the food. */
const ARABIC_PRAISE = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['روعه', 'لذيذ', 'تجنن', 'يجنن', 'ممتاز', 'رهيب', 'يهبل', 'خرافي', 'الحلو', 'حلو', 'رائع', 'الرائع', 'الراقي', 'راقي', 'المميز', 'مميز', 'الطيب'])})(?![\\p{L}])`,
  'u',
);

/**
 * An allergy told and whether that is all right ("ابني عندو حساسية من الجلوتين، عادي؟", "هل هذا
 * مشكله؟", "تقدرون تنتبهون؟"): OTHER in the corpus, as the staff answer it; a guest asking what
 * they can eat ("في شي يناسبها؟", "ايش اقدر اطلب؟") asks about the menu.
 */
const ARABIC_ALLERGY_OK = new RegExp(
  `${normalize('حساسي')}[\\s\\S]*(?<![\\p{L}])(?:${anyOf(['عادي', 'مشكله', 'تنتبهون', 'تنتبهوا', 'ينفع', 'اوكي'])})(?![\\p{L}])`,
  'u',
);
const ARABIC_WHAT_TO_EAT = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['شي', 'اطباق', 'الاطباق', 'اطلب', 'ايش', 'وش', 'شو', 'يناسب', 'يناسبها', 'يناسبه', 'تناسبه', 'تناسبها', 'بدون', 'خالي'])})(?![\\p{L}])`,
  'u',
);

/**
 * A greeting beside a question or request in Arabic ("مرحبا، عندكم high chair للبيبي؟", "hi، فيه
 * باركنق؟"): no mere greeting, though the rest names no cue ("مرحبا، كيفكم؟" stays one).
 */
const ARABIC_ASKS = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['عندكم', 'عندكو', 'فيه', 'في', 'هل', 'ممكن', 'بدي', 'ابي', 'ابغى', 'ابغي', 'عايز', 'نبي', 'بدنا', 'واش', 'كاين', 'تقدرون', 'اقدر', 'نقدر', 'وين', 'متى', 'قديش'])})(?![\\p{L}])`,
  'u',
);
/**
 * One guest dropping out ("واحد من الشباب اعتذر", "اخويا مش جاي"): the party shrinks, the booking
 * stands; not "الجماعة اعتذروا" (all of them) nor the guest's own "اعتذر، لازم الغي".
 */
const ARABIC_GUEST_GONE = new RegExp(
  `(?<![\\p{L}])(?:${anyOf(['واحد', 'وحده', 'شخص', 'صاحبي', 'صاحبتي', 'اخوي', 'اخويا', 'اختي', 'زوجي', 'زوجتي', 'ابني', 'بنتي'])})(?:\\s+${normalize('من')}\\s+\\p{L}+)?\\s+(?:${anyOf(['اعتذر', 'اعتذرت', 'انسحب', 'انسحبت', 'مش جاي', 'مش جايه', 'ما بيجي', 'مو جاي', 'ما راح يجي', 'ماراح يجي'])})(?![\\p{L}])`,
  'u',
);

const LUNCH_SERVICE = /(?<![\p{L}])(?:le|du|ce) midi(?![\p{L}])/u;
const THIS_LUNCH = /(?<![\p{L}])ce midi(?![\p{L}])/u;
/** Noon in words, no clock in digits: "ouverts à midi le samedi ?", "dimanche midi". */
const NOON_WORD = /(?<![\p{L}])midi(?![\p{L}])/u;
const BRINGING =
  /(?<![\p{L}])(?:bring|brought|llevar|traer|apport\p{L}*|amen(?:er|ez|ons)|amène\p{L}*|droit de bouchon|corkage)(?![\p{L}])|اجيب|نجيب/u;

/**
 * The local provider: deterministic, no network. The intent from the trained model when one is
 * given (decideIntent says when the cue tables win instead), from the cue tables otherwise; the
 * slots always from the rules; a message with slots and no intent is a bare answer.
 */
export function interpretWithRules(input: InterpretInput, model?: IntentModel): Interpretation {
  const text = input.text.replace(AMPERSAND_NAME, ' ');
  const normalized = normalize(text);
  // "Bonjour La Table du Marché, …": the restaurant's name holds no request; the intent is read
  // without it, the slots from the whole message.
  const unnamed = withoutVenueName(text);
  const request = unnamed === text ? normalized : normalize(unnamed);
  const detected = detectLanguage(normalized, input.localeHint);
  const guess = model?.classify(request, detected);
  // The network that knew the message's words is a better judge of a short Latin-script message's
  // language than the detector's word lists ("¿podemos llegar más tarde?"); chrono needs it right.
  const language = guess && guess.known > 0 && detected !== 'ar' ? guess.language : detected;
  if (input.interactive) {
    const fromId = interpretInteractive(input.interactive, language);
    if (fromId) return fromId;
    // An id we do not know: its title is what the guest saw and chose.
    return interpretWithRules(
      { ...input, text: input.interactive.title || input.text, interactive: undefined },
      model,
    );
  }

  let classified = classifyIntent(request);
  const menuTerms = findMenuTerms(normalized);
  // "do u have sushi": a dish or menu section with no other request is a menu question, unless the
  // guest means to bring it ("ممكن نجيب كيكة معنا؟").
  if (
    classified.intent === undefined &&
    (menuTerms.menuCategory || menuTerms.menuItem) &&
    !BRINGING.test(normalized)
  )
    classified = { intent: 'MENU', confidence: 0.75 };
  // A message that is only a name or a number ("Jonathan Price", "4") is a slot answer, whatever
  // words of the training corpus it happens to contain: the rules' reading stands.
  const onlyName = bareName(input.text, input.expecting === 'name');
  // "on arrive dans septante-cinq minutes", "il a 8 ans", "appelez-moi au 06 12 34 56 78": numbers
  // that count no guests and name no day or hour.
  const party = findPartySize(withoutNonSlotNumbers(normalized));
  // "4pax", "2 adults 2 kids", "nous serons 5": a count and nothing else answers "how many?".
  // "hello we are 2", "bonjour, 3 personnes": a greeting around the count changes nothing.
  const countRest = ARABIC.test(normalized)
    ? party.rest
    : GREETING_WORDS.reduce((rest, cue) => rest.replace(cue, ' '), party.rest);
  const onlyCount = party.partySize !== undefined && !/\p{L}{2,}/u.test(countRest);
  const bareAnswer = bareNumber(normalized) !== undefined || onlyName !== undefined || onlyCount;
  // A full name is a name even when a word of it is a cue ("Jonathan Price" is no price question).
  if (onlyName?.includes(' ')) classified = { confidence: 0 };
  const tables = classified;
  if (guess && !bareAnswer) classified = decideIntent(request, classified, guess);
  // "quelles bières vous avez ?": a dish or menu section the model did not place is a menu question,
  // unless the guest means to bring it ("can we bring our own cake").
  if (
    guess &&
    classified.intent === undefined &&
    (menuTerms.menuCategory || menuTerms.menuItem) &&
    !BRINGING.test(normalized)
  )
    classified = { intent: 'MENU', confidence: 0.7 };
  // "can we bring our own wine": what the guest brings is no question about the menu.
  if (
    classified.intent === 'MENU' &&
    BRINGING.test(normalized) &&
    classifyIntent(normalized).intent !== 'MENU'
  )
    classified = { confidence: 0 };
  if (classified.intent === 'MENU' && ARABIC_COMPLAINT.test(normalized)) classified = { confidence: 0 };
  if (
    classified.intent === 'MENU' &&
    ARABIC_ALLERGY_OK.test(normalized) &&
    !ARABIC_WHAT_TO_EAT.test(normalized)
  )
    classified = { confidence: 0 };
  // "no need to cancel, just push it to 9", "لا تلغون الحجز، اخروه ساعة": a cancellation the guest
  // rules out is no cancellation; a new booking if they say so, a change otherwise.
  if (classified.intent === 'CANCEL' && NEGATED_CANCEL.test(normalized))
    classified = { intent: NEW_BOOKING.test(normalized) ? 'BOOK' : 'MODIFY', confidence: 0.8 };
  // "is there a fee for cancelling", "il y a des frais d'annulation ?": a question about the policy.
  if (classified.intent === 'CANCEL' && CANCEL_POLICY.test(normalized)) classified = { confidence: 0 };
  // "cancel friday and book me saturday instead", "annulez jeudi et réservez vendredi": one booking
  // given up for another is a change.
  if (
    classified.intent === 'CANCEL' &&
    (CANCEL_THEN_BOOK.test(normalized) || ARABIC_CANCEL_THEN.test(normalized))
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "not looking to reserve, do you do takeaway?", "je ne veux pas réserver, c'est pour savoir…":
  // a booking the guest rules out is none; what the rest of the message asks, if anything.
  const bookingRuledOut = NEGATED_BOOKING.test(normalized);
  if (classified.intent === 'BOOK' && bookingRuledOut) {
    // "je n'aurai pas besoin de la réservation": the booking ruled out is the guest's own.
    const rest =
      tables.intent === 'CANCEL' ? tables : classifyIntent(normalized.replace(NEGATED_BOOKING, ' '));
    classified = rest.intent === 'BOOK' ? { confidence: 0 } : rest;
  }
  // "لا ما نبي نغير شي، كل شي تمام شكرا": a change ruled out; what the rest says, if anything
  // ("ما ابي اغير شي بس ابي ازيد شخص" still adds a guest).
  if (classified.intent === 'MODIFY' && ARABIC_NO_CHANGE.test(normalized))
    classified = classifyIntent(normalized.replace(ARABIC_NO_CHANGE, ' '));
  // "je voulais annuler puis finalement non, on garde la réservation mais à 20h30".
  if (classified.intent === 'CANCEL' && KEPT_BOOKING.test(normalized)) classified = { confidence: 0 };
  // "vous avez des plats à emporter ?": takeaway is no menu question, and a greeting before it no greeting.
  if ((classified.intent === 'MENU' || classified.intent === 'GREETING') && TAKEAWAY.test(normalized))
    classified = { confidence: 0 };
  const changes = SUBJECT_CHANGES.exec(normalized);
  if (classified.intent === 'MODIFY' && changes && !BOOKING_WORD.test(normalized))
    classified = {
      intent: /horaire|hours|horario/.test(changes[1] ?? changes[2] ?? '') ? 'HOURS' : 'MENU',
      confidence: 0.8,
    };
  const stillOn =
    BOOKING_STILL_ON.test(normalized) ||
    (ARABIC_BOOKING_CONFIRMED.test(normalized) &&
      party.partySize === undefined &&
      !ARABIC_BOOK_VERB.test(normalized));
  // The model's change too, asked with no cue for one ("hey, is my booking for thursday still on?");
  // not "notre réservation tient toujours mais on sera plus nombreux".
  if (
    stillOn &&
    (classified.intent === 'BOOK' ||
      (classified.intent === 'MODIFY' && tables.intent !== 'MODIFY' && /[?؟]/.test(normalized)))
  )
    classified = { confidence: 0 };
  // "bonjour on est en bas, on peut monter ?": a greeting before a question is the question's.
  if (classified.intent === 'GREETING' && asksBeyondGreeting(normalized)) classified = { confidence: 0 };
  // "j'ai une question sur ma réservation de samedi, vous servez encore après 22h ?": the booking
  // named is the model's change, but no cue asks for one; the question stands.
  const asked =
    tables.intent === 'BOOK'
      ? askedBeforeBooking(input.text, classified.intent === 'MODIFY' ? 'BOOK' : classified.intent)
      : undefined;
  if (asked) classified = { intent: asked, confidence: 0.85 };
  // Whom the guest writes to, not a request: a count or a day in the name ("Table pour Deux") is no slot.
  if (isIdentityQuestion(input.text))
    return { intent: 'OTHER', entities: {}, language, confidence: 0.8, answer: false };
  const entities: Entities = {};
  if (party.partySize !== undefined) entities.partySize = party.partySize;

  const today = localParts(input.now, input.timeZone);
  const when: FoundWhen = ARABIC.test(party.rest)
    ? arabicWhen(party.partySize === undefined ? party.rest : withHourAfterDay(party.rest), today)
    : MAY_HOLD_WHEN.test(party.rest)
      ? latinWhen(party.rest, language, input.localeHint, today)
      : { rest: party.rest };
  // "we can't come at 7, is 8 ok?": the time that cannot be kept was refused and another offered.
  if (
    (classified.intent === 'CANCEL' || classified.intent === 'BOOK' || classified.intent === undefined) &&
    when.corrected &&
    CANNOT_COME.test(normalized)
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "ما نقدر نجي الساعة ٨، نقدر نجي ٩؟": not coming then, but at another hour: a change to it.
  const comeInstead =
    classified.intent === 'CANCEL' && ARABIC.test(normalized)
      ? arabicComeInstead(normalized, today)
      : undefined;
  if (comeInstead) {
    classified = { intent: 'MODIFY', confidence: 0.8 };
    if (comeInstead.date) when.date = comeInstead.date;
    if (comeInstead.time) when.time = comeInstead.time;
  }
  // "مش هنقدر نيجي بكرة، ينفع نخليها بعد بكرة؟": not coming then, but on another day: a change.
  if (classified.intent === 'CANCEL' && (when.date || when.time) && ARABIC_MOVE_TO.test(normalized))
    classified = { intent: 'MODIFY', confidence: 0.8 };
  if (
    (classified.intent === 'BOOK' || classified.intent === undefined) &&
    (when.date || when.time || /\d/.test(normalized)) &&
    ARABIC_HELD_BOOKING.test(normalized) &&
    ARABIC_WANTED_INSTEAD.test(normalized)
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "عندي حجز الخميس، تقدرون تجهزون كيكة؟": the guest's own booking named beside what they ask
  // (a question read beside the booking cue too: "تكتبون عيد ميلاد سعيد على الحلى؟ حجزنا اليوم").
  const heldAsks = ARABIC.test(normalized) ? heldBookingIntent(normalized, today) : undefined;
  const held =
    classified.intent === 'BOOK' ||
    (classified.intent === undefined && tables.intent === 'BOOK') ||
    asked !== undefined
      ? heldAsks
      : undefined;
  if (held === 'OTHER') classified = { confidence: 0 };
  else if (held) classified = { intent: held, confidence: 0.8 };
  // "احنا حاجزين بس ممكن نكون اكثر": a change asked of the booking held, though no cue said so.
  else if (classified.intent === undefined && heldAsks === 'MODIFY')
    classified = { intent: 'MODIFY', confidence: 0.7 };
  // "vous êtes ouverts le midi ?", "vous arrêtez de servir le midi à quelle heure ?": lunchtime as a
  // service asked about, not a time to book.
  // A question of hours names noon only as the lunch service ("êtes-vous ouverts dimanche midi ?").
  const lunchService =
    ((classified.intent === 'HOURS' || classified.intent === 'MENU' || TAKEAWAY.test(normalized)) &&
      LUNCH_SERVICE.test(normalized)) ||
    (classified.intent === 'HOURS' &&
      when.time === '12:00' &&
      NOON_WORD.test(normalized) &&
      !/\d/.test(normalized));
  // "qu'y a-t-il au menu ce midi ?": today's lunch menu, no day to book ("ce midi" alone is today
  // at noon, latin-when.ts).
  const todaysMenu = classified.intent === 'MENU' && lunchService && THIS_LUNCH.test(normalized);
  if (when.date && !todaysMenu) entities.date = when.date;
  if (when.time && !lunchService) entities.time = when.time;

  // "on a réservé pour jeudi, vous avez des chaises hautes ?": a question about a booking held, its
  // day the only slot, asks no new table, though the model reads the booking words as one (or, with
  // no cue to cancel, as a cancellation). Not a change: "…, on peut passer à dimanche ?".
  const heldQuestion = HELD_BOOKING.test(normalized) && /[?؟]/.test(normalized);
  if (
    (classified.intent === 'BOOK' || classified.intent === 'CANCEL') &&
    // A greeting before it hides no other cue from the tables ("Bonsoir, nous avons réservé …").
    (tables.intent === 'BOOK' || tables.intent === 'GREETING' || tables.intent === undefined) &&
    heldQuestion &&
    ((entities.partySize === undefined && entities.time === undefined) || askedApart(normalized))
  )
    classified = { confidence: 0 };

  const name = findGuestName(input.text);
  if (name) entities.guestName = name;
  // "الحجز باسم زوجي حسن", "الحجز باسم اخوي": whose the booking is, and nothing else, answers
  // "under what name?".
  if (classified.intent === 'BOOK' && ARABIC.test(normalized) && onlyNameGiven(input.text, name))
    classified = { confidence: 0 };
  // "me llamo Lucía", "je m'appelle Claire": the stems of "llamar"/"appeler" (call me) taught the
  // model a request for a person; a name given is an answer unless a cue asks for a person.
  if (name && classified.intent === 'HUMAN' && tables.intent !== 'HUMAN') classified = { confidence: 0 };
  // "اسمي علي، شكرا": a name given with thanks or a greeting around it answers the question asked.
  if (name && (classified.intent === 'THANKS' || classified.intent === 'GREETING'))
    classified = { confidence: 0 };
  // "مساء النور، شكرا على الحجز": the booking thanked for is done; nothing else asked, thanks.
  const thankedFor = THANKS_WORDS.some((cue) => cue.test(normalized))
    ? (BOOKING_DONE.exec(normalized) ?? WELCOME_THANKED.exec(normalized))
    : null;
  if (
    thankedFor &&
    Object.keys(entities).length === 0 &&
    ['GREETING', 'THANKS', undefined].includes(classifyIntent(normalized.replace(thankedFor[0], ' ')).intent)
  )
    classified = { intent: 'THANKS', confidence: 0.8 };
  // "مشكورين على الاستقبال امس، الاكل كان روعة": thanks for a visit praised, not a question about
  // its food nor a call for the reception.
  if (
    (classified.intent === undefined || classified.intent === 'MENU' || classified.intent === 'HUMAN') &&
    ARABIC_PRAISE.test(normalized) &&
    THANKS_WORDS.some((cue) => cue.test(normalized))
  )
    classified = { intent: 'THANKS', confidence: 0.8 };
  // "bonsoir, on peut passer maintenant ? on est deux", "tomorrow evening": a greeting (or a greeting
  // word) beside a slot is no mere greeting; the slots decide (a booking or an answer).
  if (
    classified.intent === 'GREETING' &&
    (Object.keys(entities).length > 0 || (ARABIC.test(normalized) && ARABIC_ASKS.test(normalized)))
  )
    classified = { confidence: 0 };
  // "demain 19h pr 2 merci": thanks closing a request that counts the guests is no mere thanks.
  if (classified.intent === 'THANKS' && entities.partySize !== undefined) classified = { confidence: 0 };
  if (classified.intent === 'MENU') Object.assign(entities, menuTerms);

  // "sorry, saturday not friday", "ya no somos 6, somos 4", "عفوا، الثامنة مو السابعة": a value
  // given in place of one taken back changes the booking, though no verb says so.
  // "my friend cancelled so it's just 2 of us now", "une personne s'est désistée, on sera 3": a guest
  // gone from the party changes its size; the booking stands.
  // "الحجز مو لثلاثة، لأربعة": the booking held, a value taken back and another given.
  if (
    classified.intent === 'BOOK' &&
    (party.corrected || when.corrected) &&
    ARABIC_THE_BOOKING.test(normalized)
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  if (party.partySize !== undefined && GUEST_GONE.test(normalized))
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "on arrive dans vingt minutes, gardez-nous la table": late for the booking held.
  if (
    (classified.intent === 'BOOK' || classified.intent === undefined) &&
    LATE_ARRIVAL.test(normalized) &&
    entities.partySize === undefined &&
    entities.date === undefined
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "pas ce soir finalement, demain même heure": a value taken back and another given, with no
  // word of booking, is a change the model heard as a booking; "pr info on sera 5 pr la resa de
  // dmn": a count told for the booking held.
  if (
    classified.intent === 'BOOK' &&
    tables.intent !== 'BOOK' &&
    (when.corrected || party.corrected) &&
    (when.date || when.time || party.partySize !== undefined)
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  if (
    classified.intent === 'BOOK' &&
    HELD_BOOKING.test(normalized) &&
    WILL_BE_COUNT.test(normalized) &&
    !/[?؟]/.test(normalized)
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "finalement on ne vient pas", "on ne viendra pas demain": not coming, with no other day or hour
  // offered and no count left ("mon ami peut plus venir, on sera 3"), is a cancellation, though the
  // model weighed the negation towards a change (or a person, unless a cue asks for one).
  if (
    classified.intent !== 'CANCEL' &&
    tables.intent !== 'HUMAN' &&
    party.partySize === undefined &&
    !when.replaced &&
    NOT_COMING.test(normalized)
  )
    classified = { intent: 'CANCEL', confidence: 0.8 };
  // "pas pour 4, pour 5 finalement", "l'heure ne nous arrange plus, vous auriez plus tôt ?": a value
  // taken back and another given or asked for, with no word of cancelling, is a change, though the
  // model read the negation as a cancellation.
  if (
    classified.intent === 'CANCEL' &&
    tables.intent !== 'CANCEL' &&
    (party.corrected ||
      when.corrected ||
      EARLIER_OR_LATER.test(normalized) ||
      (party.partySize !== undefined && INSTEAD.test(normalized)))
  )
    classified = { intent: 'MODIFY', confidence: 0.8 };
  if ((classified.intent === 'CANCEL' || classified.intent === 'BOOK') && ARABIC_GUEST_GONE.test(normalized))
    classified = { intent: 'MODIFY', confidence: 0.8 };
  // "ah non finalement on sera 3", "actually, 9pm": an afterthought on a value already given;
  // "je voulais annuler puis finalement non, on garde la réservation mais à 20h30": a value for a
  // booking kept; "on était 4 on sera 5": a count said beside the one the booking had;
  // "no cancelen, solo muévanla a las 9": a value beside a cancellation ruled out.
  if (
    classified.intent === undefined &&
    (when.corrected ||
      party.corrected ||
      AFTERTHOUGHT.test(normalized) ||
      RETRACTED.test(normalized) ||
      KEPT_BOOKING.test(normalized) ||
      (party.partySize !== undefined && WAS_COUNT.test(normalized)) ||
      (tables.intent === 'CANCEL' && NEGATED_CANCEL.test(normalized))) &&
    (when.date || when.time || party.partySize !== undefined)
  )
    classified = { intent: 'MODIFY', confidence: 0.7 };
  if (classified.intent === undefined) fillBareAnswer(input, normalized, entities);

  const slots = Object.keys(entities).length;
  if (classified.intent !== undefined) {
    return {
      intent: classified.intent,
      entities,
      language,
      confidence: classified.confidence,
      answer: false,
    };
  }
  // The guest's own booking named beside a question of no intent ("عندي حجز الليلة، فيه باركينغ؟"):
  // its day or hour is no request and no answer.
  if (held === 'OTHER') return { intent: 'OTHER', entities, language, confidence: 0.6, answer: false };
  // "4 people tomorrow at 8" with no verb is a request to book, not an answer to one question; so
  // is a slot beside a booking cue the model did not know ("vous avez de la disponibilité vendredi ?"),
  // unless the booking is one held and the guest asks something else of it.
  const slotOfBooking =
    tables.intent === 'BOOK' &&
    !bookingRuledOut &&
    !stillOn &&
    !heldQuestion &&
    (entities.date !== undefined || entities.time !== undefined || entities.partySize !== undefined);
  if (
    slotOfBooking ||
    (entities.partySize !== undefined &&
      (entities.date !== undefined || entities.time !== undefined) &&
      !stillOn &&
      !(heldQuestion && askedApart(normalized)))
  ) {
    return { intent: 'BOOK', entities, language, confidence: 0.7, answer: false };
  }
  if (slots > 0) return { intent: 'OTHER', entities, language, confidence: 0.8, answer: true };
  return { intent: 'OTHER', entities, language, confidence: 0.3, answer: false };
}

/**
 * "nous avons réservé pour demain 20h30 au nom de Martin, est-ce que vous acceptez les chiens ?":
 * the question, the last clause, holds no value and no word of changing; the booking's hour and
 * count are told before it.
 */
const CHANGE_WORD =
  /\b(?:chang\p{L}*|décal\p{L}*|decal\p{L}*|avanc\p{L}*|repouss\p{L}*|report\p{L}*|modifi\p{L}*|annul\p{L}*|ajout\p{L}*|plus tôt|plus tard|move|change|earlier|later|cancel|add|cambiar|mover|cancelar)\b/u;
function askedApart(normalized: string): boolean {
  const question = /[^.!?,;]*\?[^?]*$/u.exec(normalized)?.[0] ?? '';
  const words = question.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  return words.length >= 3 && !/\d/.test(question) && !CHANGE_WORD.test(question);
}

/**
 * A question beside the greeting: more than two words once the greeting words are taken out, asked
 * with a question mark or a question's opening, and no "how are you".
 */
function asksBeyondGreeting(normalized: string): boolean {
  const rest = GREETING_WORDS.reduce((text, cue) => text.replace(cue, ' '), normalized);
  const words = rest.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  return (
    words.length > 2 &&
    !HOW_ARE_YOU.test(normalized) &&
    (/[?؟]/.test(rest) ||
      /\b(?:est-ce|est ce|vous|on peut|il y a|y a|do you|can|could|is there|are you|tienen|hay|pueden)\b/u.test(
        rest,
      ))
  );
}

/** "4", "8", "Sarah": what a message that is only an answer fills, guided by what was asked. */
function fillBareAnswer(input: InterpretInput, normalized: string, entities: Entities): void {
  if (Object.keys(entities).length > 0) return;
  const number = bareNumber(normalized);
  if (number !== undefined) {
    if (input.expecting === 'time' && number <= 23) entities.time = hhmm(dinnerHour(number, false, false), 0);
    else entities.partySize = number;
    return;
  }
  const name = bareName(input.text, input.expecting === 'name');
  if (name) entities.guestName = name;
}
