import { describe, expect, it } from 'vitest';
import {
  type ConsumerEntry,
  consumerEntries,
  durablesOf,
  PARTITIONS,
  partitionConsumer,
  partitionOf,
  type Topology,
  topology,
  tuned,
} from '../src/index.js';

/**
 * Whether every subject `filter` matches is one `pattern` matches, in NATS wildcard terms
 * (https://docs.nats.io/nats-concepts/subjects#wildcards): `*` one token, `>` one or more at the end.
 */
function within(filter: string, pattern: string): boolean {
  const f = filter.split('.');
  const p = pattern.split('.');
  for (let i = 0; i < f.length; i++) {
    if (p[i] === '>') return true;
    if (p[i] === undefined || f[i] === '>') return false;
    if (p[i] === '*' ? f[i] === '' : f[i] !== p[i]) return false;
  }
  return f.length === p.length;
}

/** The filter subjects a row makes its durables with. */
function filtersOf(entry: ConsumerEntry): string[] {
  if (entry.ordering !== 'per-conversation') return entry.filterSubject ? [entry.filterSubject] : [];
  const partitions = Array.from(
    { length: entry.partitions },
    (_, p) => partitionConsumer(entry, p).filterSubject,
  );
  return entry.retired ? [...partitions, entry.retired.filterSubject] : partitions;
}

const streamOf = (t: Topology, entry: ConsumerEntry) =>
  Object.values(t.streams).find((stream) => stream.name === entry.stream);

describe('within (the test’s own subject matching)', () => {
  it('follows NATS wildcards', () => {
    expect(within('a.b.>', 'a.>')).toBe(true);
    expect(within('a.*.c', 'a.>')).toBe(true);
    expect(within('a.>', 'a.*')).toBe(false);
    expect(within('a.b', 'a.*')).toBe(true);
    expect(within('a.*', 'a.b')).toBe(false);
    expect(within('b.c', 'a.>')).toBe(false);
    expect(within('a', 'a.>')).toBe(false);
  });
});

describe.each(['', 't1'])('the wiring table (prefix %j)', (prefix) => {
  const t = topology(prefix);
  const entries = consumerEntries(t.consumers);

  it('names every row, durable and dead-letter consumer once', () => {
    const ids = entries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const durables = entries.flatMap(durablesOf);
    expect(new Set(durables).size).toBe(durables.length);
    const deadLetters = entries.map((entry) => entry.deadLetter.consumer);
    expect(new Set(deadLetters).size).toBe(deadLetters.length);
    for (const [owner, rows] of Object.entries(t.consumers)) {
      for (const [key, entry] of Object.entries(rows as Record<string, ConsumerEntry>)) {
        expect(entry.id).toBe(`${owner}.${key}`);
        expect(entry.owner).toBe(owner);
      }
    }
  });

  it("reads a stream of the topology, with every filter within that stream's subjects", () => {
    for (const entry of entries) {
      const stream = streamOf(t, entry);
      expect(stream, entry.id).toBeDefined();
      for (const filter of filtersOf(entry)) {
        expect(
          stream?.subjects.some((subject) => within(filter, subject)),
          `${entry.id}: ${filter}`,
        ).toBe(true);
      }
    }
  });

  it('dead-letters every row to its own subject on DEADLETTERS', () => {
    for (const entry of entries) {
      expect(entry.deadLetter.subject).toBe(t.subjects.deadLetter(entry.deadLetter.consumer));
      expect(
        t.streams.deadLetters.subjects.some((subject) => within(entry.deadLetter.subject, subject)),
      ).toBe(true);
    }
  });

  it('never redrives by republishing into a history (RESERVATIONS, CONVERSATIONS): those rows name the projection to replay', () => {
    const histories = [t.streams.reservations.name, t.streams.conversations.name];
    for (const entry of entries) {
      if (histories.includes(entry.stream))
        expect(['replay', 'none'], entry.id).toContain(entry.deadLetter.redrive.kind);
      else expect(entry.deadLetter.redrive.kind, entry.id).toBe('republish');
    }
    expect(
      entries.flatMap((entry) =>
        entry.deadLetter.redrive.kind === 'replay' ? [entry.deadLetter.redrive.projection] : [],
      ),
    ).toEqual(['intent-memory', 'reservation', 'scheduler']);
  });

  it('gives every per-conversation row max_ack_pending 1 and a durable per partition whose filters put each keyed subject in partitionOf’s partition only', () => {
    const partitioned = entries.filter((entry) => entry.ordering === 'per-conversation');
    expect(partitioned.map((entry) => entry.id)).toEqual(['conversation.inbound', 'sender.commands']);
    for (const entry of partitioned) {
      expect(entry.maxAckPending).toBe(1);
      expect(entry.partitions).toBe(PARTITIONS);
      const consumers = Array.from({ length: PARTITIONS }, (_, p) => partitionConsumer(entry, p));
      expect(new Set(consumers.map((c) => c.durable)).size).toBe(PARTITIONS);
      expect(() => partitionConsumer(entry, PARTITIONS)).toThrow(RangeError);
      const hit = new Set<number>();
      for (let n = 0; n < 2_000; n++) {
        const phoneNumberId = `10654035224292${n % 3}`;
        const guest = `9715${String(n).padStart(8, '0')}`;
        const subject = t.subjects[entry.keyedSubject](phoneNumberId, guest);
        const matching = consumers.flatMap((c, p) => (within(subject, c.filterSubject) ? [p] : []));
        expect(matching).toEqual([partitionOf(phoneNumberId, guest)]);
        hit.add(matching[0] ?? -1);
        if (entry.retired) expect(within(subject, entry.retired.filterSubject)).toBe(false);
      }
      // Every partition's durable has conversations to handle: the filters cover all PARTITIONS.
      expect(hit.size).toBe(PARTITIONS);
    }
  });

  it('keeps free rows within their max_ack_pending and gives every row positive limits', () => {
    for (const entry of entries) {
      expect(entry.ackWaitMs, entry.id).toBeGreaterThan(0);
      expect(entry.maxDeliver, entry.id).toBeGreaterThan(0);
      expect(entry.backoff.baseMs, entry.id).toBeGreaterThan(0);
      expect(entry.backoff.maxMs, entry.id).toBeGreaterThanOrEqual(entry.backoff.baseMs);
      if (entry.ordering === 'free') {
        expect(entry.concurrency).toBeGreaterThan(0);
        expect(entry.concurrency).toBeLessThanOrEqual(entry.maxAckPending);
      }
      if (entry.ordering === 'projection') expect(entry.batchSize).toBeGreaterThan(0);
    }
  });

  it('gives every inbox its own consumer name', () => {
    const inboxes = entries.flatMap((entry) => (entry.inbox ? [entry.inbox] : []));
    const keys = inboxes.map((inbox) => `${inbox.schema}/${inbox.consumer}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(t.consumers.reservation.projector.inbox).toEqual({
      schema: 'reservation',
      consumer: 'reservation-projector',
    });
  });
});

describe('tuned', () => {
  it('takes the values given and keeps the table’s for the rest, leaving the table as it was', () => {
    const { inbound } = topology().consumers.conversation;
    const changed = tuned(inbound, {
      ackWaitMs: 5_000,
      maxDeliver: undefined,
      backoff: { baseMs: 1, maxMs: 2 },
    });
    expect(changed).toEqual({ ...inbound, ackWaitMs: 5_000, backoff: { baseMs: 1, maxMs: 2 } });
    expect(topology().consumers.conversation.inbound).toEqual(inbound);
    expect(inbound.ackWaitMs).toBe(30_000);
  });
});
