import { describe, expect, it } from 'vitest';
import {
  buildQuarantineEvent,
  conversationEventsOf,
  deriveEvents,
  parseWebhook,
  parseWebhookEvent,
  topology,
} from '../src/index.js';
import { fixtureJson, fixtureNames } from './fixture.js';

const receivedAt = new Date('2026-01-19T14:00:05.123Z');

function allDerived() {
  return fixtureNames().flatMap((name) => {
    const result = parseWebhook(fixtureJson(name));
    if (!result.ok) return [];
    return deriveEvents(result.webhook, { rawId: `raw-${name}`, receivedAt, topology: topology() }).map(
      (derived) => [name, derived.event] as const,
    );
  });
}

describe('parseWebhookEvent', () => {
  it.each(allDerived())('round-trips the event of %s through JSON', (_name, event) => {
    const result = parseWebhookEvent(JSON.parse(JSON.stringify(event)));
    expect(result).toEqual({ ok: true, event });
  });

  it('round-trips a quarantine event', () => {
    const event = buildQuarantineEvent('abc', receivedAt, 10, 'why');
    expect(parseWebhookEvent(JSON.parse(JSON.stringify(event)))).toEqual({ ok: true, event });
  });

  it('rejects an event of another version or type', () => {
    const event = buildQuarantineEvent('abc', receivedAt, 10, 'why');
    expect(parseWebhookEvent({ ...event, v: 2 })).toMatchObject({ ok: false });
    expect(parseWebhookEvent({ ...event, type: 'whatsapp.something.else' })).toMatchObject({ ok: false });
  });

  it('rejects a message event whose message lost its known body, naming the path', () => {
    const [derived] = allDerived().filter(([name]) => name === 'text-arabic-reply');
    const event = JSON.parse(JSON.stringify(derived?.[1]));
    delete event.message.text;
    const result = parseWebhookEvent(event);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('message.text');
    expect(!result.ok && result.reason).not.toContain('971501234567');
  });
});

describe('conversationEventsOf', () => {
  const base = { v: 1, conversationId: 'c1', occurredAt: '2026-11-23T10:00:00.000Z', causationId: 'wamid.1' };
  const turn = {
    ...base,
    id: 'c1:wamid.1:guest',
    type: 'conversation.turn.recorded',
    role: 'guest',
    text: 'hi',
  };
  const state = { ...base, id: 'c1:wamid.1:state', type: 'conversation.state.changed', phase: 'idle' };

  it("gives a decision's turns and events in their order", () => {
    const decided = {
      ...base,
      id: 'c1:wamid.1:decided',
      type: 'conversation.decided',
      events: [turn, state],
    };
    expect(conversationEventsOf(decided)).toEqual([turn, state]);
  });

  it('gives an event written on its own as itself, and anything else as it is for its reader to refuse', () => {
    expect(conversationEventsOf(turn)).toEqual([turn]);
    const empty = { ...base, id: 'c1:wamid.1:decided', type: 'conversation.decided', events: [] };
    expect(conversationEventsOf(empty)).toEqual([empty]);
    expect(conversationEventsOf('not json')).toEqual(['not json']);
  });
});
