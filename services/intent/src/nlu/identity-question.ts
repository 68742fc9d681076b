/**
 * "is this Book & Bite?", "are you Table Talk?", "هذا مطعم بيت الحجز؟": the guest checks whom they
 * are writing to. A restaurant's name may hold any keyword ("Book", "Menu", "Table"), so such a
 * question is OTHER whatever the name says (issue 17). Latin names are recognised by their capital;
 * Arabic has none, so there the word "restaurant" marks the name.
 */
const IDENTITY = [
  /^\W*(?:(?:hi|hello|hey)\W+)?(?:is this|is that|are you|am i (?:texting|talking to|speaking (?:to|with)|writing to))\s+(?:the\s+)?\p{Lu}/u,
  /^\W*(?:¿\s*)?(?:es|eres|son ustedes)\s+(?:este|el)\s+(?:el\s+)?(?:restaurante\s+)?\p{Lu}/u,
  /^\W*(?:¿\s*)?(?:este|esto)\s+es\s+(?:el\s+)?(?:restaurante\s+)?\p{Lu}/u,
  /^\W*(?:¿\s*)?hablo con\s+(?:el\s+)?(?:restaurante\s+)?\p{Lu}/u,
  /^\W*je suis bien (?:chez|au|à)\s+(?:le\s+|la\s+)?(?:restaurant\s+)?\p{Lu}/u,
  // "c'est Jacques" gives a name; "c'est bien Le Menu ?", "c'est le Café X", "c'est Chez Paul ?" ask.
  /^\W*(?:c'est|vous êtes|vous etes)\s+(?:bien\s+|(?:le|la|les)\s+|l'|restaurant\s+)(?:le\s+|la\s+)?(?:restaurant\s+)?\p{Lu}/u,
  /^\W*(?:c'est|vous êtes|vous etes)\s+\p{Lu}[^?]*\?\s*$/u,
  /^\W*(?:هل\s+)?(?:هذا|هاد|ده|انتم|إنتم|انتو|معي|معاي)\s+(?:فرع\s+)?مطعم\s/u,
];

export function isIdentityQuestion(original: string): boolean {
  // "Is this …" as typed on a phone: its own capital says nothing, the name's does.
  const text = original.replace(
    /^(\W*)(\p{Lu})/u,
    (_, lead: string, letter: string) => lead + letter.toLowerCase(),
  );
  return IDENTITY.some((pattern) => pattern.test(text));
}
