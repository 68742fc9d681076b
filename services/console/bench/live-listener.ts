import { pathOf } from '@reserveit/console-api';
import { createParser } from 'eventsource-parser';
import { z } from 'zod';

/** One `conversation` event as it reached this connection. */
export interface Arrival {
  /** When the event was parsed here (ms since the epoch). */
  arrivedAt: number;
  /** When CONVERSATIONS stored the message it stands for (the event's `at`). */
  storedAt: number;
}

const conversationEvent = z.object({
  type: z.literal('conversation'),
  conversationId: z.string(),
  at: z.iso.datetime(),
});

/**
 * A staff browser following one restaurant's live events, keeping when each `conversation` event
 * arrived, by conversation. Opened once the console sent its `ready` greeting.
 */
export class LiveListener {
  private readonly arrivals = new Map<string, Arrival[]>();
  private readonly abort = new AbortController();

  private constructor(readonly businessId: string) {}

  static async open(base: string, businessId: string, cookie: string): Promise<LiveListener> {
    const listener = new LiveListener(businessId);
    const response = await fetch(`${base}${pathOf('/api/restaurants/:businessId/events', { businessId })}`, {
      headers: { accept: 'text/event-stream', cookie },
      signal: listener.abort.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`live events answered ${response.status}`);
    let ready: () => void = () => undefined;
    const greeted = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'ready') return ready();
        const parsed = conversationEvent.safeParse(JSON.parse(event.data));
        if (parsed.success) listener.record(parsed.data.conversationId, Date.parse(parsed.data.at));
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parser.feed(value);
      }
    })().catch(() => undefined);
    await greeted;
    return listener;
  }

  private record(conversationId: string, storedAt: number): void {
    const list = this.arrivals.get(conversationId) ?? [];
    list.push({ arrivedAt: Date.now(), storedAt });
    this.arrivals.set(conversationId, list);
  }

  /** The conversation's events that arrived at or after `since`, oldest first. */
  arrivalsSince(conversationId: string, since: number): Arrival[] {
    return (this.arrivals.get(conversationId) ?? []).filter((a) => a.arrivedAt >= since);
  }

  close(): void {
    this.abort.abort();
  }
}
