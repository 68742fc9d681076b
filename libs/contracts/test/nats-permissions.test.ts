import { describe, expect, it } from 'vitest';
import {
  consumerEntries,
  durablesOf,
  NATS_USERS,
  type NatsPermissions,
  type NatsUser,
  natsInboxPrefix,
  natsPermissions,
  renderNatsUsersConf,
  topology,
} from '../src/index.js';

/** NATS subject matching: `*` one token, `>` one or more at the end. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const mayPublish = (permissions: NatsPermissions, subject: string) =>
  permissions.publish.allow.some((pattern) => matches(pattern, subject)) &&
  !permissions.publish.deny.some((pattern) => matches(pattern, subject));

const t = topology('p1');
const permissions = natsPermissions(t);
const others = (user: NatsUser) => NATS_USERS.filter((other) => other !== user);

/** What pulling from a durable takes: create it (with its filter as nats.js sends it), fetch, ack. */
const durableUse = (stream: string, durable: string, filter = 'p1.x.>') => [
  `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
  `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
  `$JS.ACK.${stream}.${durable}.1.2.3.1700000000000000000.0`,
];

describe('natsPermissions', () => {
  it('lets ingress publish only its WHATSAPP subjects: no conversation, outbound or reservation subject', () => {
    const ingress = permissions.ingress;
    expect(mayPublish(ingress, t.subjects.inboundMessage('15550001111', '971500000001'))).toBe(true);
    expect(mayPublish(ingress, t.subjects.rawBodyChunk('abc', 0))).toBe(true);
    for (const subject of [
      t.subjects.conversationEvent('c1'),
      t.subjects.outboundCommand('15550001111', '971500000001'),
      t.subjects.outboundRead('15550001111'),
      t.subjects.outboundEvent('15550001111'),
      t.subjects.reservationDay('b1', '2026-01-01'),
      t.subjects.deadLetter('conversation'),
    ]) {
      expect(mayPublish(ingress, subject), subject).toBe(false);
    }
  });

  it('lets only the conversation service request replies, and only the sender report sends', () => {
    const command = t.subjects.outboundCommand('15550001111', '971500000001');
    const outcome = t.subjects.outboundEvent('15550001111');
    // ops may put a dead letter back where its row read it (`reserveit-ops dlq redrive`).
    expect(NATS_USERS.filter((user) => mayPublish(permissions[user], command))).toEqual([
      'conversation',
      'ops',
    ]);
    expect(NATS_USERS.filter((user) => mayPublish(permissions[user], outcome))).toEqual(['sender', 'ops']);
    // Nobody but the conversation service writes its history; its projections are replayed, not redriven.
    const decision = t.subjects.conversationEvent('c1');
    expect(NATS_USERS.filter((user) => mayPublish(permissions[user], decision))).toEqual(['conversation']);
  });

  it("gives each consumer row's owner its durables, and nobody else, the console and ops included", () => {
    for (const row of consumerEntries(t.consumers)) {
      for (const durable of durablesOf(row)) {
        for (const subject of durableUse(row.stream, durable)) {
          expect(mayPublish(permissions[row.owner], subject), `${row.owner} ${subject}`).toBe(true);
          for (const other of others(row.owner)) {
            expect(mayPublish(permissions[other], subject), `${other} ${subject}`).toBe(false);
          }
        }
      }
      expect(mayPublish(permissions[row.owner], row.deadLetter.subject)).toBe(true);
    }
  });

  it('lets a reader of a stream use consumers of its own making there, not durables of other streams', () => {
    const live = `$JS.API.CONSUMER.CREATE.${t.streams.outbound.name}.Z1qo2x3.${t.subjects.outboundEventAll}`;
    expect(mayPublish(permissions.console, live)).toBe(true);
    expect(
      mayPublish(permissions.console, `$JS.API.CONSUMER.MSG.NEXT.${t.streams.outbound.name}.Z1qo2x3`),
    ).toBe(true);
    // Only its own reads: the ingress reads nothing, the intent service only its durable.
    expect(mayPublish(permissions.ingress, live)).toBe(false);
    expect(
      mayPublish(permissions.intent, `$JS.API.CONSUMER.CREATE.${t.streams.conversations.name}.Z1qo2x3`),
    ).toBe(false);
  });

  it('gives a new row of the wiring table its permissions without another line anywhere', () => {
    const extended = topology('p1');
    const memory = extended.consumers.intent.memory;
    const added = { ...memory, id: 'intent.summaries', durable: 'intent-summaries' };
    (extended.consumers.intent as Record<string, typeof memory>).summaries = added;
    const after = natsPermissions(extended);
    for (const subject of durableUse(added.stream, 'intent-summaries')) {
      expect(mayPublish(permissions.intent, subject), subject).toBe(false);
      expect(mayPublish(after.intent, subject), subject).toBe(true);
      // The console reads CONVERSATIONS, where the new durable lives, and is denied it.
      expect(mayPublish(after.console, subject), subject).toBe(false);
    }
  });

  it('lets each user subscribe to its own inbox only, and no inbox lies inside another', () => {
    for (const user of NATS_USERS) {
      expect(permissions[user].subscribe.allow).toEqual([`${natsInboxPrefix(user, 'p1')}.>`]);
      for (const other of others(user)) {
        const theirs = `${natsInboxPrefix(other, 'p1')}.abc.1`;
        expect(
          permissions[user].subscribe.allow.some((pattern) => matches(pattern, theirs)),
          `${user} on ${theirs}`,
        ).toBe(false);
      }
    }
  });

  it("keeps every user's subjects inside its deployment's prefix, apart from the JetStream API and inboxes", () => {
    const streamNames = Object.values(t.streams).map((spec) => spec.name);
    for (const user of NATS_USERS) {
      for (const subject of [...permissions[user].publish.allow, ...permissions[user].publish.deny]) {
        if (subject.startsWith('$JS.')) {
          const named = subject.split('.').filter((token) => streamNames.includes(token));
          if (subject !== '$JS.API.INFO') expect(named, subject).toHaveLength(1);
        } else {
          expect(subject.startsWith('p1.'), `${user} ${subject}`).toBe(true);
        }
      }
    }
  });

  it('renders every user with a password from the environment and its allow-lists', () => {
    const conf = renderNatsUsersConf(t);
    for (const user of NATS_USERS) {
      expect(conf).toContain(`user: ${user}\n      password: $NATS_PASSWORD_${user.toUpperCase()}\n`);
    }
    expect(conf).toContain(`"${natsInboxPrefix('ingress', 'p1')}.>"`);
    expect(conf).not.toMatch(/password: (?!\$NATS_PASSWORD_)/);
  });
});
