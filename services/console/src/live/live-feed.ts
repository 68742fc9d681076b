import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { LiveEvent } from '@reserveit/console-api';
import type { Topology } from '@reserveit/contracts';
import type { Logger } from '@reserveit/telemetry';
import type { BusinessDirectory } from '../business-directory.js';
import { type Cursor, encodeCursor, STREAM_KEYS, type StreamKey } from './cursor.js';
import { type Routed, routeMessage } from './route-message.js';

export type Send = (id: string, event: LiveEvent) => void;

interface Subscriber {
  businessId: string;
  send: Send;
  /** While catching up, live events wait here with their ids. */
  held?: { id: string; event: LiveEvent }[];
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
const MAX_CATCH_UP = 20_000;

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
  private closed = false;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly followed: Record<StreamKey, Followed>,
    private readonly directory: BusinessDirectory,
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
    const feed = new LiveFeed(deps.js, followed, deps.directory, deps.logger, start);
    for (const key of STREAM_KEYS) await feed.follow(key);
    return feed;
  }

  get connections(): number {
    return this.subscribers.size;
  }

  /**
   * Reads one stream from the feed's position on, for as long as the feed runs: a reader that ends
   * or fails (NATS restarting, the stream recreated) starts again from the last message routed.
   */
  private async follow(key: StreamKey): Promise<void> {
    const { stream, filter } = this.followed[key];
    const open = async () => {
      const consumer = await this.js.consumers.get(stream, {
        filter_subjects: filter,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: this.position[key] + 1,
      });
      return consumer.consume();
    };
    let messages = await open();
    void (async () => {
      while (!this.closed) {
        try {
          for await (const message of messages) {
            // Routed in stream order, and the cursor moves only once the event went out: an event of
            // another stream sent meanwhile carries a cursor that still replays this one.
            const routed = await this.route(key, message);
            this.position[key] = message.seq;
            if (routed?.event.type === 'settings') this.directory.forget(routed.businessId);
            if (routed) this.publish(routed.businessId, routed.event);
          }
        } catch (error) {
          this.logger.warn({ err: error, stream }, 'live feed lost its reader; reading again');
        }
        if (this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));
        messages = await open().catch((error: unknown) => {
          this.logger.warn({ err: error, stream }, 'live feed could not read the stream yet');
          return messages;
        });
      }
    })();
    this.stops.push(() => void messages.close());
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

  private publish(businessId: string, event: LiveEvent): void {
    const id = encodeCursor(this.position);
    for (const subscriber of this.subscribers) {
      if (subscriber.businessId !== businessId) continue;
      if (subscriber.held) subscriber.held.push({ id, event });
      else subscriber.send(id, event);
    }
  }

  /**
   * Adds a browser of `businessId`. With `from` (its Last-Event-ID) it first gets what it missed
   * since then. Returns the unsubscribe.
   */
  async subscribe(businessId: string, from: Cursor | undefined, send: Send): Promise<() => void> {
    const subscriber: Subscriber = { businessId, send, held: from ? [] : undefined };
    this.subscribers.add(subscriber);
    const unsubscribe = () => void this.subscribers.delete(subscriber);
    if (!from) return unsubscribe;
    const target = { ...this.position };
    const missed = STREAM_KEYS.reduce((sum, key) => sum + Math.max(0, target[key] - from[key]), 0);
    if (missed > MAX_CATCH_UP) {
      send(encodeCursor(target), { type: 'resync', at: new Date().toISOString() });
    } else {
      await this.replay(businessId, from, target, send);
    }
    for (const held of subscriber.held ?? []) send(held.id, held.event);
    subscriber.held = undefined;
    return unsubscribe;
  }

  private async replay(businessId: string, from: Cursor, target: Cursor, send: Send): Promise<void> {
    const cursor = { ...from };
    for (const key of STREAM_KEYS) {
      if (cursor[key] >= target[key]) {
        cursor[key] = Math.max(cursor[key], target[key]);
        continue;
      }
      const { stream, filter } = this.followed[key];
      const consumer = await this.js.consumers.get(stream, {
        filter_subjects: filter,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: cursor[key] + 1,
      });
      // Nothing of this stream's filter since the cursor: consuming would wait for the next one.
      if ((await consumer.info()).num_pending === 0) {
        cursor[key] = target[key];
        continue;
      }
      const messages = await consumer.consume();
      try {
        for await (const message of messages) {
          if (message.seq > target[key]) break;
          const routed = await this.route(key, message);
          cursor[key] = message.seq;
          if (routed?.businessId === businessId) send(encodeCursor(cursor), routed.event);
          if (message.seq >= target[key] || message.info.pending === 0) break;
        }
      } finally {
        await messages.close();
      }
      cursor[key] = target[key];
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops) stop();
    this.subscribers.clear();
  }
}
