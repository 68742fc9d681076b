import type { Entities } from '@reserveit/contracts';

/** What a guest can want; mirrors intent.v1.Intent without the wire's UNSPECIFIED. */
export const INTENTS = [
  'BOOK',
  'MODIFY',
  'CANCEL',
  'MENU',
  'HOURS',
  'GREETING',
  'HUMAN',
  'THANKS',
  'OTHER',
] as const;
export type Intent = (typeof INTENTS)[number];

export const LANGUAGES = ['en', 'ar', 'es', 'fr', 'und'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Slots the dialogue may have just asked for, so a bare answer fills the right one. */
export type Slot = 'date' | 'time' | 'party_size' | 'name';

export type { Entities };

export interface InteractiveReply {
  /** nfm_reply: a completed Flow, its response_json as the id (flow-reply.ts). */
  kind: 'button_reply' | 'list_reply' | 'nfm_reply';
  id: string;
  title: string;
}

export interface InterpretInput {
  text: string;
  localeHint: string;
  conversationId: string;
  /** IANA zone, e.g. "Asia/Dubai". */
  timeZone: string;
  now: Date;
  interactive?: InteractiveReply;
  expecting?: Slot;
}

export interface Interpretation {
  intent: Intent;
  entities: Entities;
  language: Language;
  /** 0..1 */
  confidence: number;
  /** The message only answers a slot ("4", "8pm", "Sarah"): intent OTHER with entities. */
  answer: boolean;
}
