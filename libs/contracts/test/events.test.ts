import { describe, expect, it } from 'vitest';
import {
  buildQuarantineEvent,
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
