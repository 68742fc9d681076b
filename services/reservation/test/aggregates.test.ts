import { topology } from '@reserveit/contracts';
import { ensureStream } from '@reserveit/messaging';
import { type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregates, type AggregateType, ConflictsExhausted } from '../src/store/aggregates.js';
import { EventStore, ReadTimeout, WrongLastSequence } from '../src/store/event-store.js';

interface Added {
  id: string;
  n: number;
}
/** A tiny aggregate: the list of numbers added, refusing more than `max` of them. */
const counter: AggregateType<number[], Added> = {
  initial: () => [],
  evolve: (state, event) => [...state, event.n],
  parse: (data) => JSON.parse(new TextDecoder().decode(data)) as Added,
};
/** Msg-Ids are unique per run unless a test repeats one on purpose. */
let run = 0;
const add =
  (n: number, max = 100, id = `add-${++run}`) =>
  (state: number[]) =>
    state.length >= max
      ? { ok: false as const, rejection: 'FULL' }
      : { ok: true as const, events: [{ id, n }], result: state.length + 1 };

describe('aggregates on JetStream with expected last subject sequence', () => {
  let nats: TestNats;
  let store: EventStore;

  beforeAll(async () => {
    nats = await useNats();
    const spec = topology(nats.prefix).streams.reservations;
    await ensureStream(nats.jsm, spec, { replicas: 1 });
    store = new EventStore(nats.js, nats.jsm, spec.name, 5_000);
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  const replica = () => new Aggregates(store, counter, { maxRetries: 5, cacheSize: 100 });
  const subject = (name: string) => `${nats.prefix}.rsv.day.test.${name}`;

  it('refuses an append whose expected sequence is stale', async () => {
    await store.append(subject('stale'), [{ id: 's1', data: '{}' }], 0);
    await expect(store.append(subject('stale'), [{ id: 's2', data: '{}' }], 0)).rejects.toBeInstanceOf(
      WrongLastSequence,
    );
  });

  it('catches a stale replica up after a conflict and decides again on the new state', async () => {
    const a = replica();
    const b = replica();
    await b.load(subject('race'));
    await a.execute(subject('race'), add(1));
    const outcome = await b.execute(subject('race'), add(2, 2));
    expect(outcome).toMatchObject({ kind: 'done', retries: 1, result: 2 });
    expect((await replica().load(subject('race'))).state).toEqual([1, 2]);
    // Full now: the third add is refused on the state that includes the other replica's event.
    expect(await a.execute(subject('race'), add(3, 2))).toMatchObject({
      kind: 'rejected',
      rejection: 'FULL',
      retries: 1,
    });
  });

  it('decides a refusal again on the current state when the cached one is behind', async () => {
    const a = replica();
    const b = replica();
    await a.load(subject('stale-refusal'));
    await b.execute(subject('stale-refusal'), add(1));
    // Refuses an empty aggregate: a still has it empty in its cache, the stream has one event.
    const unlessEmpty = (state: number[]) =>
      state.length === 0 ? { ok: false as const, rejection: 'EMPTY' } : add(2)(state);
    expect(await a.execute(subject('stale-refusal'), unlessEmpty)).toMatchObject({ kind: 'done', result: 2 });
    expect(await replica().execute(subject('stale-refusal-empty'), unlessEmpty)).toMatchObject({
      kind: 'rejected',
      rejection: 'EMPTY',
    });
  });

  it('catches up over a long gap (more messages than it fetches one by one)', async () => {
    const a = replica();
    const b = replica();
    await b.load(subject('gap'));
    for (let n = 0; n < 20; n++) await a.execute(subject('gap'), add(n));
    const outcome = await b.execute(subject('gap'), add(99));
    expect(outcome).toMatchObject({ kind: 'done', retries: 1, result: 21 });
    expect((await b.load(subject('gap'))).state).toEqual([...Array.from({ length: 20 }, (_, n) => n), 99]);
  });

  it('reports a Msg-Id stored before as a duplicate with its original sequence', async () => {
    const a = replica();
    const first = await a.execute(subject('dup-a'), add(7, 100, 'same-id'));
    const other = await a.execute(subject('dup-b'), add(7, 100, 'same-id'));
    expect(first.kind).toBe('done');
    expect(other.kind).toBe('duplicate');
    if (first.kind === 'done' && other.kind === 'duplicate') expect(other.seq).toBe(first.seqs[0]);
    expect((await a.load(subject('dup-b'))).state).toEqual([]);
  });

  /** Another replica that appends to the subject just before each of this store's appends. */
  class AlwaysBeaten extends EventStore {
    appends = 0;
    override async append(subject: string, events: Parameters<EventStore['append']>[1], expected: number) {
      this.appends += 1;
      const n = 1_000 + this.appends;
      await store.append(
        subject,
        [{ id: `rival-${run}-${n}`, data: JSON.stringify({ id: `rival-${n}`, n }) }],
        expected,
      );
      return super.append(subject, events, expected);
    }
  }

  it('gives up with ConflictsExhausted after maxRetries tries when another replica wins every race, counting each conflict', async () => {
    const beaten = new AlwaysBeaten(nats.js, nats.jsm, store.stream, 5_000);
    let conflicts = 0;
    const a = new Aggregates(beaten, counter, {
      maxRetries: 3,
      cacheSize: 100,
      onConflict: () => conflicts++,
    });
    await expect(a.execute(subject('beaten'), add(1))).rejects.toBeInstanceOf(ConflictsExhausted);
    expect(beaten.appends).toBe(3);
    expect(conflicts).toBe(3);
    // Every rival event is there and none of ours: each try read what the rival had appended.
    expect((await replica().load(subject('beaten'))).state).toEqual([1_001, 1_002, 1_003]);
  });

  /**
   * The race behind a stalled cold load, made deterministic: the subject's last message is
   * counted, then removed (max age, a purge) before the consumer reads it, so the consumer waits
   * for a sequence that will never come. On a stream of its own: RESERVATIONS denies deletes.
   */
  class VanishingLastMessage extends EventStore {
    armed = true;
    override async lastSequence(subject: string): Promise<number> {
      const seq = await super.lastSequence(subject);
      if (this.armed && seq > 0) await nats.jsm.streams.deleteMessage(this.stream, seq);
      return seq;
    }
  }
  const stallingStream = async (name: string, readTimeoutMs?: number) => {
    const stream = `${nats.prefix}_STALL_${name.toUpperCase()}`;
    await nats.jsm.streams.add({ name: stream, subjects: [`${nats.prefix}.stall.${name}.>`] });
    return {
      store: new EventStore(nats.js, nats.jsm, stream, 5_000),
      stalling: new VanishingLastMessage(nats.js, nats.jsm, stream, 5_000, readTimeoutMs),
      name: `${nats.prefix}.stall.${name}.day`,
    };
  };
  const within = <T>(promise: Promise<T>, ms: number) =>
    Promise.race([
      promise,
      new Promise<'still waiting'>((resolve) => setTimeout(resolve, ms, 'still waiting')),
    ]);

  it("fails a cold load that stalls at the call's deadline, and the next command on that day runs", async () => {
    const { stalling, store: plain, name } = await stallingStream('deadline');
    const first = await plain.append(
      name,
      [{ id: 'stall-1', data: JSON.stringify({ id: 'stall-1', n: 1 }) }],
      0,
    );
    if (first.kind !== 'appended') throw new Error('not appended');
    await plain.append(
      name,
      [{ id: 'stall-2', data: JSON.stringify({ id: 'stall-2', n: 2 }) }],
      first.lastSeq,
    );
    const a = new Aggregates(stalling, counter, { maxRetries: 5, cacheSize: 100 });
    const started = Date.now();
    const stalled = a.execute(name, add(3), Date.now() + 300);
    const settled = await within(
      stalled.then(
        () => 'done',
        (error: unknown) => error,
      ),
      2_000,
    );
    expect(settled).not.toBe('still waiting');
    expect(settled).toBeInstanceOf(ReadTimeout);
    expect(Date.now() - started).toBeLessThan(1_500);
    // The lock of that day was given back: the next command on it loads and appends.
    stalling.armed = false;
    expect(await within(a.execute(name, add(4)), 2_000)).toMatchObject({ kind: 'done' });
  });

  it('bounds a cold load without a deadline by the store read timeout', async () => {
    const { stalling, store: plain, name } = await stallingStream('timeout', 200);
    await plain.append(name, [{ id: 'stall-load-1', data: JSON.stringify({ id: 'stall-load-1', n: 1 }) }], 0);
    const a = new Aggregates(stalling, counter, { maxRetries: 5, cacheSize: 100 });
    const settled = await within(
      a.load(name).then(
        () => 'done',
        (error: unknown) => error,
      ),
      2_000,
    );
    expect(settled).not.toBe('still waiting');
    expect(settled).toBeInstanceOf(ReadTimeout);
  });
});
