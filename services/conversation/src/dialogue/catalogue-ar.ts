import { dayOfMonth, isoWeekday, monthOf } from './calendar.js';
import type { Catalogue } from './catalogue.js';

const WEEKDAYS = ['الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد'];
const MONTHS = [
  'يناير',
  'فبراير',
  'مارس',
  'أبريل',
  'مايو',
  'يونيو',
  'يوليو',
  'أغسطس',
  'سبتمبر',
  'أكتوبر',
  'نوفمبر',
  'ديسمبر',
];

const long = (date: string) =>
  `${WEEKDAYS[isoWeekday(date) - 1] ?? ''} ${dayOfMonth(date)} ${MONTHS[monthOf(date) - 1] ?? ''}`;
// Button titles allow 20 characters: weekday names and months are too long together.
const compact = (date: string) => `${dayOfMonth(date)}/${monthOf(date)}`;
const guests = (n: number) =>
  n === 1 ? 'شخص واحد' : n === 2 ? 'شخصين' : n <= 10 ? `${n} أشخاص` : `${n} شخصًا`;

/**
 * "For n people" with the preposition joined as Arabic writes it: لشخصين, not لـشخصين (a tatweel
 * stretches a joined letter and has no place before a word that joins anyway); before a numeral,
 * لعدد reads naturally where ل would stick to the digit.
 */
const forGuests = (n: number) => (n === 1 ? 'لشخص واحد' : n === 2 ? 'لشخصين' : `لعدد ${guests(n)}`);

const REFUSALS: Record<string, string> = {
  NO_CAPACITY: 'عذرًا، هذا الموعد محجوز بالكامل.',
  CLOSED: 'عذرًا، نحن مغلقون في هذا الوقت.',
  PARTY_TOO_LARGE: 'عذرًا، هذا العدد أكبر مما يمكننا حجزه عبر الإنترنت.',
  TOO_SOON: 'عذرًا، هذا الموعد قريب جدًا للحجز عبر الإنترنت.',
  BEYOND_HORIZON: 'عذرًا، لا نقبل الحجوزات لهذا الموعد البعيد بعد.',
  TOO_LATE: 'عذرًا، فات وقت تعديل هذا الحجز عبر الإنترنت. يرجى الاتصال بالمطعم.',
  ALREADY_CANCELLED: 'هذا الحجز ملغى بالفعل.',
  NOT_FOUND: 'عذرًا، لم أجد هذا الحجز.',
};

export const arabic: Catalogue = {
  when: (date, time) => `${long(date)} الساعة ${time}`,
  slotTitle: (date, time, sameDay) => (sameDay ? time : `${compact(date)} ${time}`),
  weekday: (day) => WEEKDAYS[day - 1] ?? '',
  defaultGreeting: (name) => `أهلًا بك في ${name}!`,
  howCanIHelp: 'كيف يمكنني مساعدتك اليوم؟',
  menuButtons: { book: 'حجز طاولة', menu: 'المنيو', hours: 'مواعيد العمل' },
  askDate: 'في أي يوم تود الحجز؟',
  flowOffer: 'اضغط أدناه لاختيار اليوم والوقت وعدد الأشخاص، أو اكتبها هنا ببساطة. في أي يوم تود الحجز؟',
  flowCta: 'اختر موعدًا',
  askTime: 'في أي ساعة؟',
  askPartySize: 'لكم شخص؟',
  askName: 'باسم من أسجل الحجز؟',
  useProfileName: (name) => `أو اضغط لاستخدام "${name}".`,
  dateInPast: 'هذا اليوم قد مضى. أي يوم تود؟',
  partyNoted: (n) => `حسنًا، طاولة ${forGuests(n)}.`,
  slotFree: (n, when) => `خبر سار: تتوفر طاولة ${forGuests(n)} يوم ${when}.`,
  partyTooLarge: (max, phone) =>
    `يمكنني الحجز عبر الإنترنت حتى ${guests(max)}. للمجموعات الأكبر يسعد فريقنا بمساعدتك: اضغط أدناه وسيرد عليك أحد الموظفين هنا${phone ? `، أو اتصل بنا على ${phone}` : ''}. أو أخبرني بعدد أقل من الأشخاص.`,
  talkToTeam: 'التحدث مع فريقنا',
  summary: (b, when) => `طاولة ${forGuests(b.partySize)} يوم ${when} باسم ${b.name}. هل أؤكد الحجز؟`,
  confirmButtons: { confirm: 'تأكيد', change: 'تعديل', cancel: 'إلغاء' },
  reminder: (when, partySize) => `تذكير بطاولتك لـ ${partySize} يوم ${when}. هل ستحضر؟`,
  reminderButtons: { confirm: 'تأكيد', cancel: 'إلغاء', late: 'سأتأخر قليلًا' },
  noShow: (when) =>
    `افتقدناك اليوم (طاولتك يوم ${when}). نتمنى أن تكون بخير — راسلنا هنا متى أردت الحجز في وقت آخر.`,
  askLateMinutes: 'شكرًا لإعلامنا. كم دقيقة تقريبًا ستتأخر؟',
  lateNoted: (minutes) => `شكرًا، أبلغنا الفريق أنك ستتأخر نحو ${minutes} دقيقة.`,
  reminderConfirmed: (when) => `شكرًا، نراك ${when}!`,
  feedbackAsk: 'كيف كانت زيارتك؟ اختر تقييمًا من 1 إلى 5.',
  feedbackListButton: 'قيّم زيارتك',
  feedbackRatings: ['1 – سيئة', '2 – مقبولة', '3 – جيدة', '4 – جيدة جدًا', '5 – ممتازة'],
  feedbackAskComment: 'شكرًا! هل تود أن تخبرنا بشيء؟ (أو "لا")',
  feedbackThanks: 'شكرًا على رأيك!',
  whatToChange: 'بكل سرور. أرسل لي اليوم أو الساعة أو عدد الأشخاص الجديد.',
  bookingStopped: 'لا مشكلة، لم أحجز شيئًا.',
  booked: (b, when, reference) =>
    `تم الحجز: طاولة ${forGuests(b.partySize)} يوم ${when} باسم ${b.name}. رقم الحجز ${reference}. بانتظارك!`,
  slotTaken: (when) => `عذرًا، ${when} محجوز بالكامل.`,
  closedThen: (when) => `عذرًا، لا نستقبل حجوزات يوم ${when}.`,
  nearestSlots: 'هذه أقرب الأوقات المتاحة:',
  waitlistOption: 'أو انضم إلى قائمة الانتظار: سأراسلك إذا توفرت طاولة.',
  joinWaitlistButton: 'قائمة الانتظار',
  waitlistJoined: (n, when) =>
    `أنت الآن في قائمة الانتظار ${forGuests(n)} يوم ${when}. إذا توفرت طاولة سأراسلك هنا، وستُحجز لك لفترة قصيرة.`,
  waitlistNotNeeded: (when) => `خبر سار: تتوفر طاولة يوم ${when} الآن. اضغط "حجز طاولة" لحجزها.`,
  waitlistOffer: (n, when, until) =>
    `توفرت للتو طاولة ${forGuests(n)} يوم ${when}. إنها محجوزة لك حتى ${until}: اضغط "تأكيد" لحجزها.`,
  confirmOfferButton: 'تأكيد',
  offerGone: 'عذرًا، لم تعد هذه الطاولة محجوزة لك: انتهت مهلة العرض.',
  noSlotsNear: (when) => `عذرًا، لم أجد طاولة متاحة قرب ${when}. أي يوم أو وقت آخر يناسبك؟`,
  refused: (code) => REFUSALS[code] ?? 'عذرًا، لم تنجح العملية.',
  checkFailed: 'عذرًا، لا أستطيع التحقق من الحجوزات الآن. حاول مرة أخرى بعد دقيقة.',
  noUpcoming: 'لم أجد حجزًا قادمًا لهذا الرقم.',
  whichReservation: (purpose) => (purpose === 'cancel' ? 'أي حجز تود إلغاءه؟' : 'أي حجز تود تعديله؟'),
  listButton: 'الحجوزات',
  reservationRow: (r) => ({
    title: `${compact(r.date)} ${r.time}`,
    description: `${guests(r.partySize)}، ${r.name}`,
  }),
  confirmCancel: (r, when) => `هل تود إلغاء طاولة ${guests(r.partySize)} يوم ${when}؟`,
  cancelButtons: { yes: 'نعم، ألغِ الحجز', no: 'أبقِ الحجز' },
  cancelled: (when) => `تم إلغاء حجزك يوم ${when}. نأمل أن نراك في وقت آخر.`,
  keptReservation: 'حسنًا، يبقى حجزك كما هو.',
  askChange: (when) => `حجزك يوم ${when}. ماذا تود أن تغير: اليوم أو الساعة أو عدد الأشخاص؟`,
  confirmChange: (r, when, partySize, newWhen) =>
    `هل تود تغيير حجزك (${guests(r.partySize)} يوم ${when}) إلى ${guests(partySize)} يوم ${newWhen}؟`,
  changeButtons: { yes: 'نعم، عدّل الحجز', no: 'أبقِ الحجز' },
  modified: (r, when) => `تم: طاولتك ${forGuests(r.partySize)} أصبحت يوم ${when}.`,
  hours: (lines) => `مواعيد العمل:\n${lines.join('\n')}`,
  hoursLine: (days, hours) => `${days}: ${hours}`,
  closedDay: 'مغلق',
  dayRange: (from, to) => (from === to ? from : `${from} – ${to}`),
  intervals: (list) => list.map((i) => `${i.start}–${i.end}`).join('، '),
  menuIntro: 'هذا منيو المطعم. اختر قسمًا:',
  menuButton: 'المنيو',
  menuCategory: (name) => `${name}: اختر طبقًا لمعرفة التفاصيل.`,
  menuEmpty: 'عذرًا، المنيو غير متاح هنا بعد.',
  menuItem: (name, description, price) => [`${name} – ${price}`, description].filter(Boolean).join('\n'),
  price: (amount, currency) => `${amount.toFixed(2)} ${currency}`,
  unavailable: 'عذرًا، لا أستطيع جلب ذلك الآن. حاول مرة أخرى بعد دقيقة.',
  handoff: 'سيرد عليك أحد أفراد فريقنا هنا قريبًا.',
  thanks: 'على الرحب والسعة!',
  notUnderstood: 'عذرًا، لم أفهم. يمكنني حجز طاولة أو تعديلها أو إلغاؤها، أو عرض المنيو ومواعيد العمل.',
  notText: 'عذرًا، أستطيع قراءة الرسائل النصية فقط. كيف يمكنني مساعدتك؟',
  rateLimited: 'أنت ترسل رسائل بسرعة كبيرة. سأجيبك مجددًا بعد دقيقة.',
  oneMoment: 'لحظة من فضلك، سأكون معك حالًا.',
};
