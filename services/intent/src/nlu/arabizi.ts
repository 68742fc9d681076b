/**
 * Arabizi: Arabic typed in Latin letters, digits standing for the sounds Latin lacks (2 ء, 3 ع,
 * 5 خ, 7 ح, 9 ص), as many Gulf and Levantine guests write on WhatsApp ("baddi e7jez tawle la 4
 * bukra"). Its common words are written back in Arabic letters, so the cue tables, the model and
 * arabic-when.ts read the message as Arabic (https://en.wikipedia.org/wiki/Arabic_chat_alphabet).
 * Only a message with at least one word no English, Spanish or French message holds (a digit inside
 * a word, or a distinctive one such as "bukra") is rewritten: "la" and "fi" alone prove nothing.
 */
const WORDS: ReadonlyArray<readonly [arabic: string, spellings: string]> = [
  ['احجز', 'e7jez a7jez a7jz a7joz a7gez a7gz a7jiz'],
  ['نحجز', 'n7jez n7jz ne7jez n7gez ni7jez'],
  ['حجز', '7ajz 7agz 7jz 7ajez 7agez 7ajzi 7agzi'],
  ['الحجز', 'el7ajz el7agz il7ajz al7ajz l7ajz el7ajez l7ajez'],
  ['طاولة', 'tawle tawla tawleh tarabeza trabeza tarabeeza'],
  ['الغي', 'alghi elghi ilghi algi elgi 2alghi el8i il8i al8i 2al8i'],
  ['الغاء', 'ilgha2 elgha2 alghaa el8a2'],
  ['اغير', 'aghayer a8ayer a8ayar aghayar a8ayyar'],
  ['غير', 'ghayer ghayyer 8ayer'],
  ['اأخر', 'a2a5er a2akher a2a5ir'],
  ['الموعد', 'elmaw3ed elmaw3id elmaw3d'],
  ['موعد', 'maw3ed maw3id maw3d'],
  ['بكرة', 'bukra bokra bukrah bokrah boukra bukara'],
  // Maghrebi "غدا" (tomorrow).
  ['غدا', 'ghedda ghadda ghdda'],
  ['بعد', 'ba3d ba3ed'],
  // Maghrebi "ليوما" (today).
  ['اليوم', 'elyom elyoum elyoom alyom lyoum lyouma lyoma'],
  ['الليلة', 'elleila ellela elleile ellaila elleileh'],
  ['ليلة', 'leila lela leile laila leileh'],
  ['يوم', 'yom youm yoom'],
  ['الجمعة', 'eljum3a eljom3a elgom3a jum3a jom3a gom3a'],
  ['الخميس', 'el5amees el5amis elkhamees khamees 5amees 5amis'],
  ['السبت', 'essabt elsabt sebt sabt'],
  ['الساعة', 'sa3a sa3ah essa3a elsa3a issa3a se3a esse3a'],
  ['ونص', 'wnos wnoss wnus'],
  ['وربع', 'wrob3 wrub3'],
  ['الا ربع', 'illarob3 ellarob3'],
  ['اشخاص', 'ash5as ashkhas ashkha9'],
  ['شخصين', 'sha5sen shakhsen shakhsain sha5sain'],
  ['احنا', 'e7na i7na 7na'],
  ['نحن', 'na7no na7na'],
  ['اتنين', 'etnen etnein itnen itnein tnen'],
  ['تلاتة', 'talata tlata talate tlate'],
  ['اربعة', 'arba3a arb3a'],
  ['خمسة', '5amsa 5amse'],
  ['سبعة', 'sab3a sab3'],
  ['تسعة', 'tis3a tes3a tes3'],
  ['عشرة', '3ashra 3ashara 3ashar'],
  ['شكرا', 'shukran shokran shukrn shokrn'],
  ['كتير', 'kteer kter kthir'],
  ['مرحبا', 'marhaba mar7aba mar7aba'],
  ['بدي', 'baddi biddi bdi bade badde'],
  ['ابغى', 'abgha abga abghi'],
  ['بغيت', 'bghit bghina'],
  ['عايز', '3ayez 3ayz 3awez 3ayza'],
  ['ممكن', 'momken mumkin mmkn momkin'],
  ['عندكم', '3andkom 3indkom 3ndkm 3andkum 3andkon 3ndkon'],
  ['عندي', '3andi 3indi 3ndi'],
  ['عندنا', '3andna 3indna 3anna'],
  ['نخليه', 'nkhalih n5alih nkhallih n5allih'],
  ['نخليها', 'nkhaliha n5aliha nkhalliha'],
  ['نأخر', 'n2a5er n2akher n2a5ir n2a5r'],
  ['نقدم', 'n2adem n2adim'],
  ['نبدل', 'nbeddel nbaddel nbadel nbdel'],
  ['نغير', 'nghayer n8ayer nghayyer'],
  ['نباتي', 'nabati nabate'],
  ['اوقات', 'aw2at awqat aw2aat'],
  ['تفتحون', 'tefta7on tifta7oon btifta7o bteftaho'],
  ['بتقفلوا', 'bt2felo bt2flo bte2felo bti2falo bt2fflo'],
  ['فاتحين', 'fat7in fat7een fet7in'],
  ['اكلم', 'akalem a7ki'],
  // Maghrebi "m3a 9" (at nine) too.
  ['مع', 'ma3 m3a ma3a'],
  ['مدير', 'modeer mudeer'],
  ['موظف', 'mowazaf muwazzaf mwazaf'],
  ['لا', 'la2'],
];
/** Words that prove nothing alone ("la 4", "fi", "ana"): rewritten only in a message proven Arabizi. */
const WEAK: ReadonlyArray<readonly [arabic: string, spellings: string]> = [
  ['ل', 'la l'],
  ['في', 'fi fe'],
  ['انا', 'ana'],
  ['ال', 'el il'],
  ['و', 'w wa'],
  ['ما', 'ma'],
  ['مو', 'mo mu'],
  ['ابي', 'abi abby'],
  ['اكل', 'akl'],
  // Maghrebi "طابلة" (table); also Spanish, so never proof of Arabizi.
  ['طاولة', 'tabla'],
  ['الجاي', 'eljay eljaye jay'],
  ['نص', 'nos noss nus'],
  ['ربع', 'rob3 rub3'],
  ['شو', 'shu sho shou'],
  ['ايش', 'esh eish aish'],
  ['دوام', 'dawam'],
  // "mesh" is also English.
  ['مش', 'mish mesh mush'],
];

const table = (entries: typeof WORDS) =>
  new Map(
    entries.flatMap(([arabic, spellings]) => spellings.split(' ').map((word) => [word, arabic] as const)),
  );
const STRONG = table(WORDS);
const ALL = new Map([...table(WEAK), ...STRONG]);
/** Cheap gate on the hot path: a word with a digit between letters or starting one, or a distinctive word. */
const MAYBE = /[a-z][2-9]|[2-9][a-z]|bukra|bokra|shukran|shokran|marhaba|momken|mumkin|baddi|biddi|kteer/;

export function arabiziToArabic(text: string): string {
  if (!MAYBE.test(text)) return text;
  const words = text.split(/([^a-z0-9]+)/);
  if (!words.some((word) => STRONG.has(word))) return text;
  return (
    words
      .map((word, i) => {
        // "la 4", "la se3a 10" are "for 4", "to 10 o'clock" (ل); "la" before anything else is "no" (لا).
        if (word === 'la' && !/^(?:\d|s[ae]3a|ess?[ae]3a|els[ae]3a)/.test(words[i + 2] ?? '')) return 'لا';
        return ALL.get(word) ?? word;
      })
      .join('')
      // The article glued back to its noun ("el leila" → "الليلة"), once ("el eljum3a" → "الجمعة").
      .replace(/(?<=^|\s)ال\s+(?:ال)?(?=[\u0600-\u06ff])/g, 'ال')
  );
}
