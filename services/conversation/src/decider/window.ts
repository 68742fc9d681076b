import type { ConversationState as DialogueState } from '../dialogue/index.js';

/**
 * WhatsApp's customer-service window: free-form messages may go out until 24 hours after the
 * guest's last message; after that only approved templates (docs/whatsapp.md, Sending).
 */
const SERVICE_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Whether free text may still go to the guest at `now`. States written before the last inbound
 * message was kept fall back to the guest's last answered turn.
 */
export function insideWindow(dialogue: DialogueState, now: string): boolean {
  const last = dialogue.lastInboundAt ?? dialogue.lastTurnAt;
  return last !== undefined && Date.parse(now) - Date.parse(last) < SERVICE_WINDOW_MS;
}
