import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { LiveEvent } from '@reserveit/console-api';
import type { Topology } from '@reserveit/contracts';
import type { Logger } from '@reserveit/telemetry';
import type { BusinessDirectory } from '../business-directory.js';
import type { DaySheetCache } from '../day-sheet-cache.js';
import { type Cursor, encodeCursor, STREAM_KEYS, type StreamKey } from './cursor.js';
import { type Routed, routeMessage } from './route-message.js';

export type Send = (id: string, event: LiveEvent) => void;

interface Subscriber {
  businessId: string;
  /** Who opened it (a session or a token), for the per-caller limit. */
  caller: string;
  send: Send;
  /** Until the subscription started, live events wait here with their stream position. */
  held: { key: StreamKey; seq: number; id: string; event: LiveEvent }[] | undefined;
  /** What the browser has seen already: events at or below it are not sent again. */
  floor: Cursor | undefined;
  closed: boolean;
}

/** One browser's subscription: greet it with `cursor`, then `start` it. */
export interface Subscription {
  /** Where the browser is once greeted: its Last-Event-ID, or the feed's position now. */
  cursor: string;
  /** Replays what it missed since `from` (when given), then sends live events. */
  start(): Promise<void>;
  close(): void;
}

interface Followed {
  stream: string;
  filter: string;
}

/**
 * A reconnecting browser that missed more than this many stream messages is told to reload
 * everything (`resync`) instead of being replayed to: the conversations stream has no restaurant
 * token to filter on, so a catch-up reads every restaurant's messages.
 */
const MAX_CATCH_UP = 10_000;

/** Replays at once per process; more (every browser after a restart) get `resync` instead. */
const MAX_CONCURRENT_REPLAYS = 4;

/** Open live connections per session or token on one process (a few tabs, not a flood). */
export const MAX_CONNECTIONS_PER_CALLER = 20;

/** Pause before a stream's reader that ended is opened again. */
const RESTART_DELAY_MS = 1_000;

/**
 * One reader per console process of each stream the staff see live, fanned out to the browsers of
 * each restaurant. Every event's SSE id is the feed's cursor after it (cursor.ts); a browser that
 * comes back with one is first replayed what its restaurant missed, read again from the streams,
 * then joins the live fan-out with nothing lost and nothing twice.
 */
export class LiveFeed {
  private readonly position: Cursor;
  private readonly subscribers = new Set<Subscriber>();
  private readonly stops: (() => void)[] = [];
  private replaying = 0;
  private closed = false;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly followed: Record<StreamKey, Followed>,
    private readonly directory: BusinessDirectory,
    private readonly sheets: DaySheetCache,
    private readonly logger: Logger,
    start: Cursor,
  ) {
    this.position = { ...start };
  }

  static async start(deps: {
    js: JetStreamClient;
    jsm: JetStreamManager;
    topology: Topology;
    directory: BusinessDirectory;
    sheets: DaySheetCache;
    logger: Logger;
  }): Promise<LiveFeed> {
    const { streams, subjects } = deps.topology;
    const followed: Record<StreamKey, Followed> = {
      c: { stream: streams.conversations.name, filter: subjects.conversationEventAll },
      r: { stream: streams.reservations.name, filter: `${streams.reservations.subjects[0]}` },
      o: { stream: streams.outbound.name, filter: subjects.outboundEventAll },
      w: { stream: streams.whatsapp.name, filter: subjects.inboundStatusAll },
    };
    const start = {} as Cursor;
    for (const key of STREAM_KEYS) {
      start[key] = (await deps.jsm.streams.info(followed[key].stream)).state.last_seq;
    }
    const feed = new LiveFeed(deps.js, followed, deps.directory, deps.sheets, deps.logger, start);
    for (const key of STREAM_KEYS) await feed.follow(key);
    return feed;
  }

  get connections(): number {
    return this.subscribers.size;
  }

  connectionsOf(caller: string): number {
    let count = 0;
    for (const subscriber of this.subscribers) if (subscriber.caller === caller) count += 1;
    return count;
  }

  /**
   * Reads one stream from the feed's position on, for as long as the feed runs: a reader that ends
   * or fails (NATS restarting, the stream recreated) starts again from the last message routed.
   */
  private async follow(key: StreamKey): Promise<void> {
    let { messages } = await this.read(key, this.position[key] + 1);
    void (async () => {
      while (!this.closed) {
        try {
          for await (const message of messages) {
            // Routed in stream order, and the cursor moves only once the event went out: an event of
            // another stream sent meanwhile carries a cursor that still replays this one.
            const routed = await this.route(key, message);
            this.position[key] = message.seq;
            if (routed) this.invalidate(routed.businessId, routed.event);
            if (routed) this.publish(key, message.seq, routed.businessId, routed.event);
          }
        } catch (error) {
          this.logger.warn(
            { err: error, stream: this.followed[key].stream },
            'live feed lost its reader; reading again',
          );
        }
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
        messages = await this.read(key, this.position[key] + 1).then(
          (reader) => reader.messages,
          (error: unknown) => {
            this.logger.warn(
              { err: error, stream: this.followed[key].stream },
              'live feed could not read the stream yet',
            );
            return messages;
          },
        );
      }
    })();
    this.stops.push(() => void messages.close());
  }

  /** What this process remembers of a restaurant goes before its browsers hear of the change. */
  private invalidate(businessId: string, event: LiveEvent): void {
    if (event.type === 'reservation') this.sheets.invalidateDay(businessId, event.date);
    if (event.type === 'settings') {
      this.directory.forget(businessId);
      this.sheets.invalidateBusiness(businessId);
    }
  }

  private async read(key: StreamKey, fromSeq: number) {
    const { stream, filter } = this.followed[key];
    const consumer = await this.js.consumers.get(stream, {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: fromSeq,
    });
    return { consumer, messages: await consumer.consume() };
  }

  private async route(
    key: StreamKey,
    message: JsMsg,
  ): Promise<{ businessId: string; event: LiveEvent } | undefined> {
    let payload: unknown;
    try {
      payload = message.json();
    } catch {
      return undefined;
    }
    const at = new Date(Math.floor(message.info.timestampNanos / 1_000_000)).toISOString();
    return this.resolve(routeMessage(key, payload, at));
  }

  private async resolve(
    routed: Routed | undefined,
  ): Promise<{ businessId: string; event: LiveEvent } | undefined> {
    if (!routed) return undefined;
    if ('businessId' in routed) return routed;
    const businessId = await this.directory.businessOfPhoneNumber(routed.phoneNumberId);
    return businessId ? { businessId, event: routed.event } : undefined;
  }

  private publish(key: StreamKey, seq: number, businessId: string, event: LiveEvent): void {
    const id = encodeCursor(this.position);
    for (const subscriber of this.subscribers) {
      if (subscriber.businessId !== businessId) continue;
      if (subscriber.held) subscriber.held.push({ key, seq, id, event });
      else if (!seen(subscriber.floor, key, seq)) subscriber.send(id, event);
    }
  }

  /**
   * A browser of `businessId` joins; with `from` (its Last-Event-ID) it will first get what it
   * missed since then. Live events wait until `start()`, so the greeting goes out first.
   */
  subscribe(businessId: string, caller: string, from: Cursor | undefined, send: Send): Subscription {
    const subscriber: Subscriber = { businessId, caller, send, held: [], floor: from, closed: false };
    this.subscribers.add(subscriber);
    const target = { ...this.position };
    const close = () => {
      subscriber.closed = true;
      this.subscribers.delete(subscriber);
    };
    return {
      cursor: encodeCursor(from ?? target),
      close,
      start: async () => {
        if (from) await this.catchUp(subscriber, from, target);
        for (const held of subscriber.held ?? []) {
          if (!subscriber.closed && !seen(subscriber.floor, held.key, held.seq)) send(held.id, held.event);
        }
        subscriber.held = undefined;
      },
    };
  }

  private async catchUp(subscriber: Subscriber, from: Cursor, target: Cursor): Promise<void> {
    const missed = STREAM_KEYS.reduce((sum, key) => sum + Math.max(0, target[key] - from[key]), 0);
    if (missed === 0) return;
    const resync = () =>
      subscriber.send(encodeCursor(target), { type: 'resync', at: new Date().toISOString() });
    if (missed > MAX_CATCH_UP || this.replaying >= MAX_CONCURRENT_REPLAYS) return resync();
    this.replaying += 1;
    try {
      await this.replay(subscriber, from, target);
    } catch (error) {
      this.logger.warn({ err: error }, 'replaying missed live events failed; the browser reloads instead');
      resync();
    } finally {
      this.replaying -= 1;
    }
  }

  private async replay(subscriber: Subscriber, from: Cursor, target: Cursor): Promise<void> {
    const cursor = { ...from };
    for (const key of STREAM_KEYS) {
      if (cursor[key] >= target[key]) continue;
      const { consumer, messages } = await this.read(key, cursor[key] + 1);
      try {
        // Nothing of this stream's filter since the cursor: consuming would wait for the next one.
        if ((await consumer.info()).num_pending > 0) {
          for await (const message of messages) {
            if (subscriber.closed || message.seq > target[key]) break;
            const routed = await this.route(key, message);
            cursor[key] = message.seq;
            if (routed?.businessId === subscriber.businessId)
              subscriber.send(encodeCursor(cursor), routed.event);
            if (message.seq >= target[key] || message.info.pending === 0) break;
          }
        }
      } finally {
        await messages.close();
      }
      if (subscriber.closed) return;
      cursor[key] = target[key];
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops) stop();
    this.subscribers.clear();
  }
}

function seen(floor: Cursor | undefined, key: StreamKey, seq: number): boolean {
  return floor !== undefined && seq <= floor[key];
}
