import type { Catalogue } from './catalogue.js';
import { arabic } from './catalogue-ar.js';
import { english } from './catalogue-en.js';
import { spanish } from './catalogue-es.js';
import { french } from './catalogue-fr.js';
import { choiceId } from './choices.js';
import { buttons, led, text } from './replies.js';
import type {
  BusinessProfile,
  Call,
  ConversationState,
  Effect,
  GuestTurn,
  Language,
  Note,
  Phase,
  Reply,
  Step,
} from './types.js';

const CATALOGUES: Record<Language, Catalogue> = { en: english, ar: arabic, es: spanish, fr: french };

export function catalogueFor(language: Language): Catalogue {
  return CATALOGUES[language];
}

/** What one input is decided against: the moment, the restaurant, and the guest's message if it is one. */
export interface Occasion {
  now: string;
  business: BusinessProfile;
  /** The guest's turn; absent when the input is the result of a call. */
  turn?: GuestTurn;
}

/** Collects effects while one input is decided; the state is replaced, never mutated. */
export class Draft {
  readonly effects: Effect[] = [];
  constructor(
    public state: ConversationState,
    readonly occasion: Occasion,
  ) {}
  get now(): string {
    return this.occasion.now;
  }
  get business(): BusinessProfile {
    return this.occasion.business;
  }
  get cat(): Catalogue {
    return catalogueFor(this.state.language);
  }
  /** The first reply of a decision carries the greeting still owed (`opening`). */
  reply(reply: Reply): this {
    const { opening, ...rest } = this.state;
    if (opening === undefined) {
      this.effects.push({ kind: 'reply', reply });
      return this;
    }
    this.state = rest;
    this.effects.push({ kind: 'reply', reply: led(opening, reply) });
    return this;
  }
  say(body: string): this {
    return this.reply(text(body));
  }
  note(note: Note): this {
    this.effects.push({ kind: 'note', note });
    return this;
  }
  call(call: Call): this {
    this.effects.push({ kind: 'call', call });
    return this;
  }
  phase(phase: Phase): this {
    this.state = { ...this.state, phase };
    return this;
  }
  /** A greeting still owed when nothing else is said and no call is pending goes out alone. */
  done(): Step {
    if (this.state.opening !== undefined && !this.effects.some((effect) => effect.kind === 'call')) {
      const { opening, ...rest } = this.state;
      this.state = rest;
      this.effects.push({ kind: 'reply', reply: text(opening) });
    }
    return { state: this.state, effects: this.effects };
  }
}

/** The three things the assistant offers when it has nothing more specific to say. */
export function mainMenu(cat: Catalogue, body: string): Reply {
  return buttons(body, [
    { id: choiceId.intent('book'), title: cat.menuButtons.book },
    { id: choiceId.intent('menu'), title: cat.menuButtons.menu },
    { id: choiceId.intent('hours'), title: cat.menuButtons.hours },
  ]);
}

/** Codes that say the call did not happen (the service is down or slow), not that it was refused. */
export function isTransient(code: string): boolean {
  return code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' || code === 'CONFLICT' || code === 'INTERNAL';
}

/** A tap on a button of an earlier question that no longer applies. */
export function stale(d: Draft): Step {
  return d.reply(mainMenu(d.cat, d.cat.howCanIHelp)).done();
}
