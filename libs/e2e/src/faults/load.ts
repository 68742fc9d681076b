import { randomInt } from 'node:crypto';
import { newWamid } from '@reserveit/localstack';
import { type FakeWhatsApp, messageWebhook } from '../fake-whatsapp.js';
import { deliverLikeMeta } from './meta-delivery.js';

/**
 * What the guests write, every one new, taking turns. Both are answered by the rules intent,
 * without an LLM, with a fixed number of replies (libs/e2e/test/booking.test.ts, crash.test.ts):
 * a greeting gets the welcome; a booking request with everything in it gets the welcome and the
 * summary to confirm in one message, after an availability check on the reservation service
 * (nothing is booked).
 */
export function guestMessage(index: number, day: string): { text: string; expectedReplies: number } {
  return index % 2 === 0
    ? { text: 'Hi', expectedReplies: 1 }
    : { text: `Book a table for 2 on ${day} at 7pm, my name is Guest`, expectedReplies: 1 };
}

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
  expectedReplies: number;
}

export interface LoadOptions {
  whatsapp: FakeWhatsApp;
  messages: number;
  ratePerSecond: number;
  /** The service day booking requests ask for, YYYY-MM-DD: one the demo restaurant is open. */
  bookingDay: string;
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
    const { text, expectedReplies } = guestMessage(index, options.bookingDay);
    const body = messageWebhook(guest, { type: 'text', text: { body: text } }, wamid);
    const duplicated = Math.random() < options.duplicateShare();
    const message: InboundMessage = {
      wamid,
      postedAt: Date.now(),
      acceptedAt: undefined,
      outcomes: [],
      copies: duplicated ? 3 : 1,
      expectedReplies,
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
