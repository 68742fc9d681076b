import { describe, expect, it } from 'vitest';
import { isKnownMessage, isMessagesChange, parseWebhook, type Webhook } from '../src/index.js';
import { fixtureBytes, fixtureJson, fixtureNames } from './fixture.js';

function parsed(name: string): Webhook {
  const result = parseWebhook(fixtureJson(name));
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result.webhook;
}

function firstValue(webhook: Webhook) {
  const change = webhook.entry[0]?.changes[0];
  if (!change || !isMessagesChange(change)) throw new Error('expected a messages change');
  return change.value;
}

describe('parseWebhook', () => {
  const valid = fixtureNames().filter((name) => !name.startsWith('malformed-'));

  it.each(valid)('accepts the %s fixture', (name) => {
    expect(parseWebhook(fixtureJson(name))).toMatchObject({ ok: true });
  });

  it('stores fixtures as Meta sends them: compact, \\uXXXX for non-ASCII, \\/ for slashes', () => {
    for (const name of fixtureNames()) {
      const text = fixtureBytes(name).toString('utf8');
      expect(text, name).not.toMatch(/[^\x20-\x7e]/);
      expect(text, name).not.toMatch(/[^\\]\//);
      expect(text, name).not.toMatch(/\\u[0-9a-f]*[A-F]/);
    }
    expect(fixtureBytes('text-arabic-reply').toString()).toContain('\\u0645\\u0631\\u062d\\u0628\\u0627');
    expect(fixtureBytes('image').toString()).toContain('"https:\\/\\/lookaside.fbsbx.com\\/');
  });

  it('keeps an unknown message type as a message instead of rejecting the body', () => {
    const message = firstValue(parsed('unknown-type-poll')).messages?.[0];
    expect(message?.type).toBe('poll');
    expect(message && isKnownMessage(message)).toBe(false);
    expect(message).toMatchObject({ poll: { question: 'Which night works for the team dinner?' } });
  });

  it('keeps an unknown interactive reply kind instead of rejecting the body', () => {
    const body = fixtureJson('interactive-button-reply') as Webhook;
    const message = firstValue(body).messages?.[0] as Record<string, unknown>;
    message.interactive = { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } };
    expect(parseWebhook(body)).toMatchObject({ ok: true });
  });

  it('passes unknown fields through on known messages, statuses and the envelope', () => {
    const body = fixtureJson('text-forwarded') as Record<string, unknown> & Webhook;
    const value = firstValue(body) as Record<string, unknown>;
    const message = firstValue(body).messages?.[0] as Record<string, unknown>;
    message.new_field = { nested: true };
    value.future_array = [1];
    const result = parseWebhook(body);
    if (!result.ok) throw new Error(result.reason);
    expect(firstValue(result.webhook).messages?.[0]).toMatchObject({ new_field: { nested: true } });
    expect(firstValue(result.webhook)).toMatchObject({ future_array: [1] });
  });

  it('keeps a status value it does not know as a string', () => {
    expect(firstValue(parsed('status-deleted-future')).statuses?.[0]?.status).toBe('deleted');
  });

  it('rejects a text message without text.body with a reason that names the path but not the phone number', () => {
    const result = parseWebhook(fixtureJson('malformed-text-no-body'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toContain('entry.0.changes.0.value.messages.0.text.body');
    expect(result.reason).not.toContain('971501234567');
    expect(result.reason).not.toContain('15550783881');
  });

  it('rejects a known message type whose body has the wrong shape', () => {
    const body = fixtureJson('location') as Webhook;
    const message = firstValue(body).messages?.[0] as Record<string, unknown>;
    message.location = { latitude: '25.19', longitude: 55.27 };
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('messages.0.location.latitude');
  });

  it('rejects a message with neither from nor from_user_id', () => {
    const body = fixtureJson('bsuid-text') as Webhook;
    const message = firstValue(body).messages?.[0] as Record<string, unknown>;
    delete message.from_user_id;
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('messages.0.from');
  });

  it('rejects a status with neither recipient_id nor recipient_user_id', () => {
    const body = fixtureJson('status-read') as Webhook;
    const status = firstValue(body).statuses?.[0] as Record<string, unknown>;
    delete status.recipient_id;
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('statuses.0.recipient_id');
  });

  it('rejects a numeric timestamp, since Meta sends unix seconds as strings', () => {
    const body = fixtureJson('status-read') as Webhook;
    const status = firstValue(body).statuses?.[0] as Record<string, unknown>;
    status.timestamp = 1768833065;
    expect(parseWebhook(body)).toMatchObject({ ok: false });
  });

  it('rejects a timestamp too large for a date instead of failing later in toISOString', () => {
    const body = fixtureJson('status-read') as Webhook;
    const status = firstValue(body).statuses?.[0] as Record<string, unknown>;
    status.timestamp = '99999999999999999999';
    expect(parseWebhook(body)).toMatchObject({ ok: false });
  });

  it('accepts a non-messages change with any value', () => {
    const change = parsed('change-template-status').entry[0]?.changes[0];
    expect(change?.field).toBe('message_template_status_update');
    expect(change?.value).toMatchObject({ event: 'APPROVED' });
  });

  it('rejects a messages change whose value is not a messages value', () => {
    const body = fixtureJson('change-template-status') as { entry: [{ changes: [{ field: string }] }] };
    body.entry[0].changes[0].field = 'messages';
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('entry.0.changes.0.value.messaging_product');
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['another object kind', { object: 'page', entry: [] }],
    ['an entry without changes', { object: 'whatsapp_business_account', entry: [{ id: '1' }] }],
  ])('rejects %s without throwing', (_label, json) => {
    const result = parseWebhook(json);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason.length).toBeGreaterThan(0);
  });

  it('summarizes at most three issues', () => {
    const messages = Array.from({ length: 5 }, () => ({ type: 'text' }));
    const result = parseWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: {}, messages } }],
        },
      ],
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/\(\+\d+ more\)$/);
  });
});

describe('identifier bounds', () => {
  function messageOf(body: Webhook) {
    return firstValue(body).messages?.[0] as Record<string, unknown>;
  }

  it('accepts ids at the longest documented formats: a parent BSUID of 128 alphanumerics and a 256-character wamid', () => {
    const body = fixtureJson('bsuid-text') as Webhook;
    const contact = firstValue(body).contacts?.[0] as Record<string, unknown>;
    contact.parent_user_id = `US.ENT.${'7'.repeat(128)}`;
    contact.user_id = `US.${'A1'.repeat(64)}`;
    messageOf(body).from_user_id = contact.user_id;
    messageOf(body).id = `wamid.${'HBgM'.repeat(62)}`;
    expect(messageOf(body).id).toHaveLength(254);
    expect(parseWebhook(body)).toMatchObject({ ok: true });
  });

  it.each([
    [
      'a wamid over 256 characters',
      (m: Record<string, unknown>) => (m.id = `wamid.${'A'.repeat(251)}`),
      'messages.0.id',
    ],
    ['a wamid with a line break', (m: Record<string, unknown>) => (m.id = 'wamid.A\r\nB'), 'messages.0.id'],
    [
      'a wamid with surrounding spaces',
      (m: Record<string, unknown>) => (m.id = ' wamid.A '),
      'messages.0.id',
    ],
    ['a 70,000-digit from', (m: Record<string, unknown>) => (m.from = '9'.repeat(70_000)), 'messages.0.from'],
    [
      'a from with non-ASCII digits',
      (m: Record<string, unknown>) => (m.from = '٩٧١٥٠١٢٣٤٥٦٧'),
      'messages.0.from',
    ],
    [
      'a text body over 65,536 characters',
      (m: Record<string, unknown>) => (m.text = { body: 'x'.repeat(65_537) }),
      'messages.0.text.body',
    ],
  ])('rejects %s, naming the path', (_label, mutate, path) => {
    const body = fixtureJson('text-forwarded') as Webhook;
    mutate(messageOf(body));
    const result = parseWebhook(body);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain(path);
  });

  it('accepts a text body of 65,536 characters', () => {
    const body = fixtureJson('text-forwarded') as Webhook;
    messageOf(body).text = { body: 'x'.repeat(65_536) };
    expect(parseWebhook(body)).toMatchObject({ ok: true });
  });

  it.each([
    [
      'a contact wa_id',
      (v: Record<string, unknown>) => ((v.contacts as [Record<string, unknown>])[0].wa_id = '1'.repeat(257)),
      'contacts.0.wa_id',
    ],
    [
      'a phone_number_id',
      (v: Record<string, unknown>) =>
        ((v.metadata as Record<string, unknown>).phone_number_id = '1'.repeat(257)),
      'metadata.phone_number_id',
    ],
    [
      'a display phone number',
      (v: Record<string, unknown>) =>
        ((v.metadata as Record<string, unknown>).display_phone_number = '1'.repeat(65)),
      'metadata.display_phone_number',
    ],
  ])('rejects %s longer than its format allows', (_label, mutate, path) => {
    const body = fixtureJson('text-forwarded') as Webhook;
    mutate(firstValue(body) as Record<string, unknown>);
    const result = parseWebhook(body);
    expect(!result.ok && result.reason).toContain(path);
  });

  it('rejects a status whose id or value would not make a valid Msg-Id, or whose recipient is unbounded', () => {
    for (const [field, value] of [
      ['id', `wamid.${'A'.repeat(300)}`],
      ['status', 'read\n'],
      ['status', 'x'.repeat(65)],
      ['recipient_id', '1'.repeat(70_000)],
    ] as const) {
      const body = fixtureJson('status-read') as Webhook;
      (firstValue(body).statuses?.[0] as Record<string, unknown>)[field] = value;
      const result = parseWebhook(body);
      expect({ field, reason: !result.ok && result.reason }).toMatchObject({
        field,
        reason: expect.stringContaining(`statuses.0.${field}`),
      });
    }
  });

  it('rejects a webhook field name too long to be a subject token', () => {
    const body = fixtureJson('change-template-status') as { entry: [{ changes: [{ field: string }] }] };
    body.entry[0].changes[0].field = 'f'.repeat(129);
    const result = parseWebhook(body);
    expect(!result.ok && result.reason).toContain('entry.0.changes.0.field');
  });

  it('still takes an empty contact wa_id as absent, as derive does', () => {
    const body = fixtureJson('bsuid-text') as Webhook;
    (firstValue(body).contacts?.[0] as Record<string, unknown>).wa_id = '';
    expect(parseWebhook(body)).toMatchObject({ ok: true });
  });
});
