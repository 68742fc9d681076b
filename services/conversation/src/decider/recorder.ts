import {
  CONVERSATION_EVENT_TYPES,
  type ConversationTurnRecorded,
  DIALOGUE_EVENT_TYPES,
  type DialogueEvent,
  type OutboundMessage,
  type SendRequested,
  type StaffReplied,
} from '@reserveit/contracts';
import type { Call, ConversationState as DialogueState, Effect, Note, Reply } from '../dialogue/index.js';
import { type Addressee, replyText, sendCommand, toOutboundMessage } from '../outbound-commands.js';
import type {
  Cause,
  ConversationEvent,
  DecideContext,
  GuestMessage,
  Interpreted,
  Party,
  StaffMessage,
} from './types.js';

/** The inbound wamid, `staff:<uuid>` for a staff action, `work:<key>@<due>` for scheduled work. */
export function causationIdOf(cause: Cause): string {
  switch (cause.kind) {
    case 'message':
      return cause.wamid;
    case 'staff':
      return `staff:${cause.actionId}`;
    case 'work':
      return `work:${cause.workId}`;
    default: {
      const unknown: never = cause;
      return unknown;
    }
  }
}

/** Numbers replies and notes from 1, whatever round of the decision they come from. */
export function decisionIds(conversationId: string, cause: Cause): DecideContext['ids'] {
  const key = `${conversationId}:${causationIdOf(cause)}`;
  let replies = 0;
  let notes = 0;
  return {
    reply() {
      replies += 1;
      return `${key}:${replies}`;
    },
    note() {
      notes += 1;
      return `${key}:note:${notes}`;
    },
  };
}

/** The OUTBOUND message of a staff member's: a template's body parameters fill its {{1}}, {{2}} … */
function staffOutbound(message: StaffMessage): OutboundMessage {
  if (message.kind === 'text') return { kind: 'text', body: message.text, previewUrl: false };
  const { name, language, bodyParameters } = message;
  return {
    kind: 'template',
    name,
    language,
    components:
      bodyParameters.length > 0
        ? [{ type: 'body', parameters: bodyParameters.map((text) => ({ type: 'text', text })) }]
        : [],
  };
}

/** How the history shows a staff message: a template as `[name] param | param`. */
/** A template as the history shows it: `[name] param | param`. */
const templateText = (name: string, parameters: readonly string[]) =>
  [`[${name}]`, parameters.join(' | ')].filter(Boolean).join(' ');

function staffText(message: StaffMessage): string {
  return message.kind === 'text' ? message.text : templateText(message.name, message.bodyParameters);
}

type EventBody = Omit<
  DialogueEvent | StaffReplied,
  'v' | 'id' | 'conversationId' | 'occurredAt' | 'causationId'
>;

/**
 * Writes down one round of a decision: its events for CONVERSATIONS (each under the id it had when
 * events were published one by one: `<conversation>:<cause>:guest`, `…:intent`, `…:<n>:requested`,
 * `…:<n>:assistant`, `…:note:<k>`, `…:state`) and its OUTBOUND commands, so a retried decision
 * publishes the same ids.
 */
export class Recorder {
  readonly events: ConversationEvent[] = [];
  readonly sends: SendRequested[] = [];
  private readonly key: string;
  private readonly causationId: string;
  private readonly to: Addressee;

  constructor(
    private readonly conversationId: string,
    private readonly party: Party,
    private readonly context: DecideContext,
  ) {
    this.causationId = causationIdOf(context.cause);
    this.key = `${conversationId}:${this.causationId}`;
    this.to = {
      conversationId,
      phoneNumberId: party.phoneNumberId,
      guestId: party.guestId,
      ...(context.cause.kind === 'message' ? { replyTo: context.cause.wamid } : {}),
    };
  }

  /**
   * Blue ticks. The first reply to the message carries them when it goes out (outbox-rows.ts), so
   * the guest sees the message read as the answer arrives; without a reply the receipt goes alone.
   */
  markRead(wamid: string): this {
    this.send(`${this.key}:read`, { kind: 'read', messageId: wamid });
    return this;
  }

  guestSaid(message: GuestMessage, interpreted: Interpreted | undefined): this {
    this.turn(`${this.key}:guest`, 'guest', {
      text: message.said.text,
      intent: interpreted?.understanding.intent,
      messageId: message.wamid,
      kind: message.type,
    });
    if (!interpreted) return this;
    const { understanding, confidence, latencyMs, fallbackReason } = interpreted;
    return this.event(`${this.key}:intent`, {
      type: DIALOGUE_EVENT_TYPES.intentInterpreted,
      businessId: this.party.businessId,
      intent: understanding.intent,
      entities: { ...understanding.entities },
      ...(understanding.language ? { language: understanding.language } : {}),
      source: understanding.source,
      ...(confidence !== undefined ? { confidence } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(fallbackReason ? { fallbackReason } : {}),
    });
  }

  /** Records the dialogue's replies and notes in order; returns the call it asked for, if any. */
  effects(effects: readonly Effect[]): Call | undefined {
    let awaiting: Call | undefined;
    for (const effect of effects) {
      if (effect.kind === 'reply') this.reply(effect.reply);
      else if (effect.kind === 'note') this.note(effect.note);
      else awaiting = effect.call;
    }
    return awaiting;
  }

  reply(reply: Reply): this {
    const id = this.context.ids.reply();
    const message = toOutboundMessage(reply);
    this.send(id, message);
    this.event(`${id}:requested`, {
      type: DIALOGUE_EVENT_TYPES.replyRequested,
      businessId: this.party.businessId,
      commandId: id,
      kind: message.kind,
    });
    return this.turn(`${id}:assistant`, 'assistant', {
      text: replyText(reply),
      messageId: id,
      kind: message.kind,
    });
  }

  /** A staff member's message, sent and kept in the history like a reply, under the staff's name. */
  staffReply(staff: string, message: StaffMessage): string {
    const id = this.context.ids.reply();
    this.send(id, staffOutbound(message));
    this.event(`${id}:requested`, {
      type: DIALOGUE_EVENT_TYPES.staffReplied,
      businessId: this.party.businessId,
      commandId: id,
      staff,
    });
    this.turn(`${id}:assistant`, 'assistant', {
      text: staffText(message),
      messageId: id,
      kind: message.kind,
    });
    return id;
  }

  /**
   * A template the assistant sends on its own (outside the 24-hour window): kept in the history as
   * `[name] param | param`, like a staff member's.
   */
  template(message: OutboundMessage & { kind: 'template' }, parameters: readonly string[]): this {
    const id = this.context.ids.reply();
    this.send(id, message);
    this.event(`${id}:requested`, {
      type: DIALOGUE_EVENT_TYPES.replyRequested,
      businessId: this.party.businessId,
      commandId: id,
      kind: 'template',
    });
    return this.turn(`${id}:assistant`, 'assistant', {
      text: templateText(message.name, parameters),
      messageId: id,
      kind: 'template',
    });
  }

  /** A waitlist offer's template: its first quick-reply button answers with `quickReplyPayload`. */
  templateReply(message: Extract<StaffMessage, { kind: 'template' }>, quickReplyPayload: string): this {
    const outbound = staffOutbound(message);
    if (outbound.kind !== 'template') throw new Error('a template expected');
    // Meta's components[].type "button", sub_type "quick_reply": the dialogue reads the payload
    // like its own button.
    return this.template(
      {
        ...outbound,
        components: [
          ...outbound.components,
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: quickReplyPayload }],
          },
        ],
      },
      message.bodyParameters,
    );
  }

  note(note: Note): this {
    const { kind, ...detail } = note;
    return this.event(this.context.ids.note(), {
      type: DIALOGUE_EVENT_TYPES.noted,
      businessId: this.party.businessId,
      note: kind,
      detail,
    });
  }

  /** The whole dialogue state after the round: the projection is rebuilt from these. */
  state(dialogue: DialogueState): this {
    const { cause } = this.context;
    return this.event(`${this.key}:state`, {
      type: DIALOGUE_EVENT_TYPES.stateChanged,
      businessId: this.party.businessId,
      phoneNumberId: this.party.phoneNumberId,
      phase: dialogue.phase.kind,
      state: { ...dialogue },
      guestId: this.party.guestId,
      ...(cause.kind === 'message' && cause.guestName ? { guestName: cause.guestName } : {}),
    });
  }

  private send(id: string, message: OutboundMessage): void {
    this.sends.push(sendCommand(this.to, id, this.context.now, message));
  }

  private event(id: string, body: EventBody): this {
    this.events.push({
      v: 1,
      id,
      conversationId: this.conversationId,
      occurredAt: this.context.now,
      causationId: this.causationId,
      ...body,
    } as DialogueEvent | StaffReplied);
    return this;
  }

  private turn(
    id: string,
    role: ConversationTurnRecorded['role'],
    said: { text: string; intent?: string | undefined; messageId: string; kind: string },
  ): this {
    this.events.push({
      v: 1,
      id,
      type: CONVERSATION_EVENT_TYPES.turnRecorded,
      conversationId: this.conversationId,
      businessId: this.party.businessId,
      occurredAt: this.context.now,
      role,
      text: said.text.slice(0, 4096),
      ...(said.intent ? { intent: said.intent } : {}),
      messageId: said.messageId,
      kind: said.kind,
    });
    return this;
  }
}
