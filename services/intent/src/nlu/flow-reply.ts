import { bookingFlowResponseSchema } from '@reserveit/contracts';
import type { InteractiveReply, Interpretation, Language } from './types.js';

/**
 * A completed booking Flow (interactive `nfm_reply`, its `response_json` as the reply's id): a
 * booking request with every slot filled, so the dialogue goes straight to its summary and
 * Confirm / Change / Cancel buttons, as for a typed request naming them all. A Flow we do not
 * know is not read (undefined): the title "Sent" says nothing.
 */
export function interpretFlowReply(reply: InteractiveReply, language: Language): Interpretation | undefined {
  let json: unknown;
  try {
    json = JSON.parse(reply.id);
  } catch {
    return undefined;
  }
  const parsed = bookingFlowResponseSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { date, time, party_size: partySize, name } = parsed.data;
  return {
    intent: 'BOOK',
    entities: { date, time, partySize, guestName: name },
    language,
    confidence: 1,
    answer: false,
  };
}
