/**
 * What a staff search of the inbox looks for: the guest's profile name containing the words, or,
 * when the query is a phone number's digits (2 to 15, spaces, "+" and "-" aside, the E.164 bound),
 * the guest's id ending with them: staff type the last digits a guest gave on the phone.
 */
export interface InboxSearch {
  /** A case-insensitive LIKE pattern for the name, its wildcards escaped. */
  namePattern: string;
  /** The digits the guest id must end with; undefined when the query is not a number. */
  idSuffix: string | undefined;
}

/** Undefined for an empty query: no search. */
export function inboxSearch(query: string): InboxSearch | undefined {
  const words = query.trim();
  if (!words) return undefined;
  const digits = words.replace(/[\s+-]/g, '');
  return {
    namePattern: `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    idSuffix: /^\d{2,15}$/.test(digits) ? digits : undefined,
  };
}
