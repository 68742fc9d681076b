import type { BusinessProfile, DialogueSettings, Understanding } from '../dialogue/index.js';
import { idleTimeoutDue } from './decide.js';
import type { Conversation, ConversationCommand, GuestMessage, Interpreted } from './types.js';

/** Nothing was understood: worth a retry while intent.v1 is down, rather than a vague answer. */
function understoodNothing(understanding: Understanding): boolean {
  return understanding.intent === 'OTHER' && Object.keys(understanding.entities).length === 0;
}

/**
 * What an inbound message to a known restaurant is for the decider, in order. While intent.v1 is
 * down and the built-in understanding got nothing from a typed message, the guest hears "one
 * moment" and the message is tried again, except on its last attempt, which answers with whatever
 * was understood: never silence. A button tap needs no understanding. Otherwise the message, and
 * before it, when the session ran idle meanwhile, the idle timeout.
 */
export function inboundCommands(
  state: Conversation,
  inbound: {
    message: GuestMessage;
    business: BusinessProfile;
    interpreted: Interpreted | undefined;
    lastAttempt: boolean;
  },
  now: string,
  settings: DialogueSettings,
): ConversationCommand[] {
  const { message, business, interpreted, lastAttempt } = inbound;
  if (
    interpreted?.fallbackReason &&
    understoodNothing(interpreted.understanding) &&
    !message.said.interactive &&
    !lastAttempt
  )
    return [{ type: 'intentUnavailable', message, interpreted }];
  const guestMessage: ConversationCommand = {
    type: 'guestMessage',
    message,
    business,
    ...(interpreted ? { interpreted } : {}),
  };
  // Reactions and system notices are not answered: the dialogue, and its session, do not see them.
  if (message.said.answer && idleTimeoutDue(state, now, settings))
    return [{ type: 'idleTimeout' }, guestMessage];
  return [guestMessage];
}
