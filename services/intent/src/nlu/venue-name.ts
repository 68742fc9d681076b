/**
 * A restaurant's own name inside a request: "Bonjour La Table du Marché, vous êtes ouverts ?", "j'ai
 * réservé chez Le Petit Menu", "I booked at The Menu Room", "le Salon de la Réservation". Its words
 * ("Table", "Menu", "Carte", "Réservation", "Book") are no cue (issue 17). Latin names are told by
 * their capitals: a capitalised run after a word that introduces a place ("chez", "restaurant",
 * "at"), or after an article in mid-sentence ("le Salon …", "… La Carte"). identity-question.ts
 * handles a message that only asks which restaurant this is.
 */
const CAPITALISED = String.raw`\p{Lu}[\p{L}'’-]*`;
/** Lower-case words inside a name: "La Table du Marché", "Salon de la Réservation", "Book & Bite". */
const CONNECTOR = "(?:du|de|des|d'|la|le|les|l'|of|the|and|et|&|y|del)";
const RUN = String.raw`${CAPITALISED}(?:\s+(?:${CONNECTOR}\s+)*(?:${CONNECTOR})?${CAPITALISED})*`;
/**
 * "m'envoyer La Carte des vins", "Le Menu du jour change ?": a capital on a common word whose
 * complement stays lower-case is no name (autocapitalised or dictated); "La Table du Marché" is.
 */
const NOT_COMMON_NOUN = String.raw`(?![\p{L}'’-])(?!\s+(?:du|de|des|d')\s*\p{Ll})`;
const VENUE_NAME = new RegExp(
  [
    // After a word naming a place, whatever its case: "chez Réservation Gourmande", "at Book & Bite".
    String.raw`(?<![\p{L}])(?:[Cc]hez|[Rr]estaurant|[Rr]esto|[Bb]rasserie|[Bb]istrot?|[Cc]af[ée]|at|[Aa]ux?|[Àà])\s+(?:(?:Le|La|Les|The|El)\s+|L')?${RUN}`,
    // An article in mid-sentence (not the first word, nor after a full stop) before a capital.
    String.raw`(?<=[\p{L},]\s+)(?:le|la|les|the|el|Le|La|Les|The|El)\s+${RUN}${NOT_COMMON_NOUN}`,
    String.raw`(?<=[\p{L},]\s+)(?:l'|L')${RUN}${NOT_COMMON_NOUN}`,
  ].join('|'),
  'gu',
);

/** The message with any restaurant name blanked out, for reading its intent (never its slots). */
export function withoutVenueName(text: string): string {
  return text.replace(VENUE_NAME, ' ');
}
