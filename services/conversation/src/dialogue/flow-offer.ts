import { createHash } from 'node:crypto';
import { bookingFlowToken, businessOfFlowToken } from '@reserveit/contracts';
import { z } from 'zod';
import type { Draft } from './draft.js';
import { flow } from './replies.js';
import type { Booking, GuestTurn, Phase, Reply } from './types.js';

/**
 * The restaurant's booking Flow, offered when a booking starts with nothing known yet (the guest
 * tapped "Book a table" or asked to book without details) and the restaurant has published one.
 * The message asks for the day as well, and the phase waits for it, so a guest who types instead
 * of opening the form books as before; the completed form comes back as an nfm_reply that intent
 * reads as a whole booking (docs/whatsapp.md#flows). Asked again within the same booking (the
 * guest typed something not understood), the question is text only: the form was offered already.
 */
export function flowOffer(d: Draft, before: Phase, booking: Booking): Reply | undefined {
  const flowId = d.business.bookingFlowId;
  const turn = d.occasion.turn;
  if (
    !flowId ||
    !turn ||
    before.kind === 'collecting' ||
    Object.values(booking).some((value) => value !== undefined)
  )
    return undefined;
  const token = bookingFlowToken(d.business.id, flowNonce(turn.conversationId, turn.messageId));
  // A business id the token format cannot carry would make a token the endpoint refuses.
  if (businessOfFlowToken(token) !== d.business.id) return undefined;
  return flow(d.cat.flowOffer, d.cat.flowCta, flowId, token);
}

/**
 * From the guest's message, like every id the dialogue makes (booking.ts's idempotency key): a
 * redelivered message decides the same reply with the same token, so the outbox dedupes it.
 * 128 bits of SHA-256 as base64url fit the token's nonce ([A-Za-z0-9_-]{1,64}).
 */
function flowNonce(conversationId: string, messageId: string): string {
  return createHash('sha256').update(`${conversationId}\n${messageId}`).digest('base64url').slice(0, 22);
}

const completion = z.object({ flow_token: z.string() });

/**
 * A completed Flow (nfm_reply) whose token was not made for the restaurant whose number it
 * reached. The data-exchange endpoint cannot check this: Meta's requests to it carry the version,
 * action, screen, data and flow_token only, no phone number id (docs/whatsapp.md#flows), so the
 * token alone names the restaurant there. The completion arrives on a number, so it is checked
 * here, before intent's reading of it is taken as a booking at this restaurant.
 */
export function completedElsewhere(turn: GuestTurn): boolean {
  if (turn.interactive?.kind !== 'nfm_reply') return false;
  let json: unknown;
  try {
    json = JSON.parse(turn.interactive.id);
  } catch {
    return true;
  }
  const parsed = completion.safeParse(json);
  return !parsed.success || businessOfFlowToken(parsed.data.flow_token) !== turn.business.id;
}
