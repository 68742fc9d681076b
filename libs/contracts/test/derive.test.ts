import { describe, expect, it } from 'vitest';
import {
  buildQuarantineEvent,
  type DerivedEvent,
  deriveEvents,
  fromSubjectToken,
  isMessagesChange,
  parseWebhook,
  partitionOf,
  topology,
  type Webhook,
} from '../src/index.js';
import { fixtureJson } from './fixture.js';

const PNID = '106540352242922';
const GUEST = '971501234567';
const BSUID = 'US.13491208655302741918';
const rawId = 'b3c1f0e5a6d7c8b9a0f1e2d3c4b5a6978899aabbccddeeff0011223344556677';
const receivedAt = new Date('2026-01-19T14:00:05.123Z');
const topo = topology();

function webhookOf(name: string): Webhook {
  const result = parseWebhook(fixtureJson(name));
  if (!result.ok) throw new Error(result.reason);
  return result.webhook;
}

function derive(name: string): DerivedEvent[] {
  return deriveEvents(webhookOf(name), { rawId, receivedAt, topology: topo });
}

function only(name: string): DerivedEvent {
  const events = derive(name);
  expect(events).toHaveLength(1);
  const [event] = events;
  if (!event) throw new Error('no event');
  return event;
}

function firstWamid(name: string, kind: 'messages' | 'statuses'): string {
  const change = webhookOf(name).entry[0]?.changes[0];
  if (!change || !isMessagesChange(change)) throw new Error('expected a messages change');
  const id = change.value[kind]?.[0]?.id;
  if (!id) throw new Error(`no ${kind}`);
  return id;
}

const msgSubject = (guestId: string, token = guestId) =>
  `wa.in.msg.${partitionOf(PNID, guestId)}.${PNID}.${token}`;

describe('deriveEvents for one inbound message', () => {
  it.each([
    ['text-arabic-reply', 'text'],
    ['text-referral', 'text'],
    ['text-forwarded', 'text'],
    ['text-frequently-forwarded', 'text'],
    ['text-referred-product', 'text'],
    ['image', 'image'],
    ['audio-voice', 'audio'],
    ['video', 'video'],
    ['document', 'document'],
    ['sticker-animated', 'sticker'],
    ['location', 'location'],
    ['location-current', 'location'],
    ['contacts', 'contacts'],
    ['interactive-button-reply', 'interactive'],
    ['interactive-list-reply', 'interactive'],
    ['interactive-nfm-reply', 'interactive'],
    ['button', 'button'],
    ['reaction', 'reaction'],
    ['reaction-removed', 'reaction'],
    ['reaction-empty-emoji', 'reaction'],
    ['order', 'order'],
    ['system-customer-identity-changed', 'system'],
    ['unsupported', 'unsupported'],
    ['unknown-type-poll', 'poll'],
  ])(
    'turns the %s fixture into one whatsapp.message.received event keyed by its wamid',
    (name, messageType) => {
      const wamid = firstWamid(name, 'messages');
      const derived = only(name);
      expect(derived.subject).toBe(msgSubject(GUEST));
      expect(derived.msgId).toBe(wamid);
      expect(derived.attributes).toEqual({ wamid, phoneNumberId: PNID, messageType });
      expect(derived.event).toMatchObject({
        v: 1,
        type: 'whatsapp.message.received',
        id: wamid,
        rawId,
        receivedAt: '2026-01-19T14:00:05.123Z',
        wabaId: '102290129340398',
        phoneNumberId: PNID,
        displayPhoneNumber: '15550783881',
        guest: { id: GUEST, waId: GUEST, name: 'ليلى' },
        message: { id: wamid, type: messageType },
      });
    },
  );

  it('takes occurredAt from the message timestamp and the Arabic text unescaped', () => {
    const { event } = only('text-arabic-reply');
    expect(event).toMatchObject({
      occurredAt: '2026-01-19T14:00:00.000Z',
      message: {
        text: { body: 'مرحبا، أريد حجز طاولة لأربعة أشخاص الليلة الساعة ٨' },
        context: { from: '15550783881', id: expect.stringMatching(/^wamid\./) },
      },
    });
    expect(only('text-arabic-reply').msgId).toBe(
      'wamid.HBgMOTcxNTAxMjM0NTY3FQIAEhgUM0VCMEM1QTlENTFFN0EyRjRCNjEA',
    );
  });

  it('keeps the removal of a reaction, which has no emoji key', () => {
    expect(only('reaction-removed').event).toMatchObject({
      message: { reaction: { message_id: expect.any(String) } },
    });
    const event = only('reaction-removed').event;
    expect(
      event.type === 'whatsapp.message.received' &&
        'emoji' in (event.message as { reaction: object }).reaction,
    ).toBe(false);
  });

  it('routes a system message without contacts by its from and gives no name', () => {
    const derived = only('system-user-changed-number');
    expect(derived.subject).toBe(msgSubject(GUEST));
    expect(derived.event).toMatchObject({
      guest: { id: GUEST, waId: GUEST },
      message: { type: 'system', system: { type: 'user_changed_number', wa_id: '971509876543' } },
    });
    expect(derived.event.type === 'whatsapp.message.received' && derived.event.guest.name).toBeUndefined();
  });

  it('routes a user-id change, which carries no from at all, to the previous user id', () => {
    const derived = only('system-user-changed-user-id');
    expect(derived.event).toMatchObject({ guest: { id: BSUID, userId: BSUID } });
    expect(derived.subject).toBe(msgSubject(BSUID, 'US%2E13491208655302741918'));
  });
});

describe('a guest known only by a business-scoped user id', () => {
  it('is routed by from_user_id with the name and username of its contact', () => {
    const derived = only('bsuid-text');
    expect(derived.event).toMatchObject({
      type: 'whatsapp.message.received',
      guest: { id: BSUID, userId: BSUID, name: 'Layla', username: 'layla.eats' },
    });
    expect(derived.event.type === 'whatsapp.message.received' && derived.event.guest.waId).toBeUndefined();
  });

  it('gets a subject whose guest token has no dot and decodes back to the BSUID', () => {
    const { subject } = only('bsuid-text');
    const tokens = subject.split('.');
    expect(tokens).toHaveLength(6);
    expect(tokens.slice(0, 3)).toEqual(['wa', 'in', 'msg']);
    expect(tokens[3]).toBe(String(partitionOf(PNID, BSUID)));
    expect(tokens[4]).toBe(PNID);
    expect(tokens[5]).toBe('US%2E13491208655302741918');
    expect(fromSubjectToken(tokens[5] ?? '')).toBe(BSUID);
  });

  it('has its status routed by recipient_user_id', () => {
    const derived = only('status-bsuid-delivered');
    expect(derived.subject).toBe(`wa.in.status.${PNID}.US%2E13491208655302741918`);
    expect(derived.event).toMatchObject({ recipientId: BSUID });
  });

  it('ignores an empty wa_id on its contact instead of routing by an empty token', () => {
    const body = fixtureJson('bsuid-text') as Webhook;
    const change = body.entry[0]?.changes[0];
    if (!change || !isMessagesChange(change)) throw new Error('fixture');
    Object.assign(change.value.contacts?.[0] ?? {}, { wa_id: '' });
    const result = parseWebhook(body);
    if (!result.ok) throw new Error(result.reason);
    const [derived] = deriveEvents(result.webhook, { rawId, receivedAt, topology: topo });
    expect(derived?.event).toMatchObject({ guest: { id: BSUID } });
  });

  it('prefers the phone identity when a message has both from and from_user_id', () => {
    const body = fixtureJson('bsuid-text') as Webhook;
    const change = body.entry[0]?.changes[0];
    if (!change || !isMessagesChange(change)) throw new Error('fixture');
    Object.assign(change.value.messages?.[0] ?? {}, { from: GUEST });
    Object.assign(change.value.contacts?.[0] ?? {}, { wa_id: GUEST });
    const result = parseWebhook(body);
    if (!result.ok) throw new Error(result.reason);
    const [derived] = deriveEvents(result.webhook, { rawId, receivedAt, topology: topo });
    expect(derived?.event).toMatchObject({
      guest: { id: GUEST, waId: GUEST, userId: BSUID, username: 'layla.eats' },
    });
    expect(derived?.subject).toBe(msgSubject(GUEST));
  });
});

describe('deriveEvents for statuses', () => {
  it.each(['sent', 'delivered', 'read', 'played', 'failed'])(
    'keys a %s status as <wamid>:<status>',
    (status) => {
      const name = `status-${status}`;
      const wamid = firstWamid(name, 'statuses');
      const derived = only(name);
      expect(derived.msgId).toBe(`${wamid}:${status}`);
      expect(derived.subject).toBe(`wa.in.status.${PNID}.${GUEST}`);
      expect(derived.attributes).toEqual({ wamid, phoneNumberId: PNID, status });
      expect(derived.event).toMatchObject({
        v: 1,
        type: 'whatsapp.status.received',
        id: `${wamid}:${status}`,
        rawId,
        wabaId: '102290129340398',
        phoneNumberId: PNID,
        recipientId: GUEST,
        status: { id: wamid, status, recipient_id: GUEST },
      });
    },
  );

  it('gives the sent, delivered and read updates of one message three distinct ids', () => {
    const ids = ['status-sent', 'status-delivered', 'status-read'].map((name) => only(name).msgId);
    expect(new Set(ids).size).toBe(3);
    expect(new Set(ids.map((id) => id.slice(0, id.lastIndexOf(':')))).size).toBe(1);
  });

  it('carries conversation, pricing and the callback data of a sent status', () => {
    expect(only('status-sent').event).toMatchObject({
      occurredAt: '2026-01-19T14:30:00.000Z',
      status: {
        biz_opaque_callback_data: 'out:conv_01JH8Z:3EB0C5A9D51E7A2F4B61:1',
        conversation: { id: 'a7c1f0b1e2d3c4b5a6978899aabbccdd', origin: { type: 'service' } },
        pricing: { pricing_model: 'PMP', category: 'service' },
      },
    });
  });

  it('carries the errors of a failed status', () => {
    expect(only('status-failed').event).toMatchObject({
      status: {
        errors: [
          {
            code: 131049,
            error_data: { details: expect.any(String) },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ],
      },
    });
  });

  it('publishes an undocumented status value like any other', () => {
    expect(only('status-deleted-future').msgId).toMatch(/:deleted$/);
  });
});

describe('deriveEvents for errors and other fields', () => {
  it('turns value.errors into one whatsapp.webhook.error event', () => {
    const derived = only('value-errors');
    expect(derived.subject).toBe(`wa.in.error.${PNID}`);
    expect(derived.msgId).toBe(`${rawId}:error:0:0`);
    expect(derived.attributes).toEqual({ phoneNumberId: PNID });
    expect(derived.event).toMatchObject({
      type: 'whatsapp.webhook.error',
      id: `${rawId}:error:0:0`,
      phoneNumberId: PNID,
      errors: [{ code: 131000, title: 'Something went wrong' }],
    });
  });

  it('turns a non-messages field into a whatsapp.webhook.change event', () => {
    const derived = only('change-template-status');
    expect(derived.subject).toBe('wa.in.change.message_template_status_update');
    expect(derived.msgId).toBe(`${rawId}:change:0:0`);
    expect(derived.event).toMatchObject({
      type: 'whatsapp.webhook.change',
      wabaId: '102290129340398',
      field: 'message_template_status_update',
      value: { event: 'APPROVED', message_template_name: 'booking_confirmation' },
    });
  });
});

describe('a batch of 2 entries with 3 messages and 2 statuses', () => {
  it('yields exactly 5 events in body order', () => {
    const events = derive('batch');
    expect(events.map((e) => [e.event.type, e.attributes.phoneNumberId])).toEqual([
      ['whatsapp.message.received', PNID],
      ['whatsapp.message.received', PNID],
      ['whatsapp.status.received', PNID],
      ['whatsapp.message.received', '230198765432109'],
      ['whatsapp.status.received', '230198765432109'],
    ]);
    expect(events[0]?.event).toMatchObject({
      message: { text: { body: 'مساء الخير' } },
      guest: { name: 'ليلى' },
    });
    expect(events[1]?.event).toMatchObject({
      message: { text: { body: 'Table for 4 at 9pm?' } },
      guest: { name: 'ليلى' },
    });
    expect(events[3]?.event).toMatchObject({
      wabaId: '214365870921436',
      guest: { id: '447700900123', name: 'Zoë Clarke' },
    });
    expect(events[3]?.subject).toBe(
      `wa.in.msg.${partitionOf('230198765432109', '447700900123')}.230198765432109.447700900123`,
    );
    expect(events[4]?.msgId).toMatch(/:delivered$/);
    expect(new Set(events.map((e) => e.msgId)).size).toBe(5);
  });

  it('does not lend a contact to messages of another sender', () => {
    const body = fixtureJson('batch') as Webhook;
    const change = body.entry[0]?.changes[0];
    if (!change || !isMessagesChange(change)) throw new Error('fixture');
    Object.assign(change.value.messages?.[1] ?? {}, { from: '966551234567' });
    const result = parseWebhook(body);
    if (!result.ok) throw new Error(result.reason);
    const [first, second] = deriveEvents(result.webhook, { rawId, receivedAt, topology: topo });
    expect(first?.event).toMatchObject({ guest: { name: 'ليلى' } });
    expect(second?.event).toMatchObject({ guest: { id: '966551234567' } });
    expect(second?.event.type === 'whatsapp.message.received' && second.event.guest.name).toBeUndefined();
  });
});

describe('prefixed topology', () => {
  it('prefixes every derived subject', () => {
    const events = deriveEvents(webhookOf('batch'), { rawId, receivedAt, topology: topology('t1') });
    for (const e of events) expect(e.subject.startsWith('t1.wa.in.')).toBe(true);
  });
});

describe('buildQuarantineEvent', () => {
  it('keys the event by the raw body id', () => {
    expect(buildQuarantineEvent(rawId, receivedAt, 1234, 'entry.0.id: Invalid input')).toEqual({
      v: 1,
      type: 'whatsapp.webhook.quarantined',
      id: `quarantine:${rawId}`,
      rawId,
      receivedAt: '2026-01-19T14:00:05.123Z',
      size: 1234,
      reason: 'entry.0.id: Invalid input',
    });
  });
});
