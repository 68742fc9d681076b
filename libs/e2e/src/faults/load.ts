import { randomInt } from 'node:crypto';
import { newWamid } from '@reserveit/localstack';
import { type FakeWhatsApp, messageWebhook } from '../fake-whatsapp.js';
import { deliverLikeMeta } from './meta-delivery.js';

/**
 * What each guest writes: a greeting, which a new guest has answered with exactly one message (the
 * restaurant's welcome with its buttons) by the rules intent, without an LLM (libs/e2e/test/booking.test.ts).
 */
export const LOAD_TEXT = 'Hi';
export const REPLIES_PER_MESSAGE = 1;

/** A copy of a duplicated webhook comes again this long after the first two (Meta redelivering late). */
const LATE_COPY_MS = 5_000;

export interface InboundMessage {
  wamid: string;
  postedAt: number;
  acceptedAt: number | undefined;
  /** HTTP status of every POST of every copy; 0 for no answer. */
  outcomes: number[];
  /** Times its webhook was posted in all (1, or 3 when duplicated). */
  copies: number;
}

export interface LoadOptions {
  whatsapp: FakeWhatsApp;
  messages: number;
  ratePerSecond: number;
  /** Aborts at the run's deadline: webhooks not taken by then stop being resent. */
  signal: AbortSignal;
  /** How long a POST may wait for ingress's answer before it counts as failed and is resent. */
  postTimeoutMs: number;
  /**
   * Share (0–1) of webhooks, read as each goes out, posted twice at once and a third time 5 s
   * later (a duplicate storm).
   */
  duplicateShare: () => number;
}

export interface Load {
  messages: InboundMessage[];
  /** Resolves once every webhook (and copy) was taken or given up at the deadline. */
  done: Promise<void>;
}

/** N guests, each new, writing once at R/s; every webhook delivered the way Meta delivers it. */
export function startLoad(options: LoadOptions): Load {
  const { whatsapp, signal } = options;
  const messages: InboundMessage[] = [];
  const deliveries: Promise<void>[] = [];
  // Distinct guests per run: a conversation service keeps a guest's history across runs of one database.
  const base = randomInt(10_000_000, 90_000_000);
  const copy = async (message: InboundMessage, body: unknown) => {
    const outcome = await deliverLikeMeta(
      (attemptSignal) =>
        whatsapp.post(body, AbortSignal.any([attemptSignal, AbortSignal.timeout(options.postTimeoutMs)])),
      { signal, onAttempt: (status) => message.outcomes.push(status) },
    );
    if (outcome === 200) message.acceptedAt ??= Date.now();
  };
  const send = (index: number) => {
    const wamid = newWamid();
    const guest = { waId: `9716${base + index}`, name: `Guest ${index}` };
    const body = messageWebhook(guest, { type: 'text', text: { body: LOAD_TEXT } }, wamid);
    const duplicated = Math.random() < options.duplicateShare();
    const message: InboundMessage = {
      wamid,
      postedAt: Date.now(),
      acceptedAt: undefined,
      outcomes: [],
      copies: duplicated ? 3 : 1,
    };
    messages.push(message);
    deliveries.push(copy(message, body));
    if (!duplicated) return;
    deliveries.push(copy(message, body));
    deliveries.push(
      new Promise((resolve) => setTimeout(resolve, LATE_COPY_MS)).then(() => copy(message, body)),
    );
  };
  const done = (async () => {
    const started = Date.now();
    for (let index = 0; index < options.messages; index++) {
      const due = started + (index * 1000) / options.ratePerSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      send(index);
    }
    await Promise.all(deliveries);
  })();
  return { messages, done };
}
