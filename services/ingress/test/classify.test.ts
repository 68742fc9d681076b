import { topology } from '@reserveit/contracts';
import { batchWebhook, serializeLikeMeta, textWebhook, type WebhookBody } from '@reserveit/testkit';
import { describe, expect, it } from 'vitest';
import { type Classified, classifyWebhook, MAX_EVENTS_PER_BODY } from '../src/classify.js';

const MAX_PAYLOAD = 1024 * 1024;
const receivedAt = new Date('2026-05-01T10:00:00Z');
const GUEST = '971501234567';

const classify = (body: WebhookBody | string, topo = topology('t1')): Classified =>
  classifyWebhook(Buffer.from(typeof body === 'string' ? body : serializeLikeMeta(body)), {
    receivedAt,
    topology: topo,
    maxPayload: MAX_PAYLOAD,
  });

/** A text webhook with `extra` spliced into the message as a field Meta might add. */
const withMessageField = (extra: string) =>
  serializeLikeMeta(textWebhook({ text: 'hi', from: GUEST })).replace(
    '"type":"text"',
    `"type":"text","extra":${extra}`,
  );

function expectQuarantine(classified: Classified, reason: string, detail: RegExp) {
  expect(classified).toMatchObject({ kind: 'quarantine', reason, detail: expect.stringMatching(detail) });
  if (classified.kind !== 'quarantine') return;
  expect(classified.detail).not.toContain(GUEST);
  const [event] = classified.events;
  expect(classified.events).toHaveLength(1);
  expect(event).toMatchObject({
    subject: 't1.wa.in.quarantine',
    msgId: `quarantine:${classified.rawId}`,
    event: { type: 'whatsapp.webhook.quarantined', reason: classified.detail },
  });
  expect(JSON.parse(event!.data.toString('utf8'))).toEqual(event!.event);
}

describe('classifyWebhook', () => {
  it('turns a valid body into events with the bytes to publish', () => {
    const classified = classify(textWebhook({ text: 'table for 2', from: GUEST }));
    expect(classified.kind).toBe('events');
    const [event] = classified.events;
    expect(JSON.parse(event!.data.toString('utf8'))).toEqual(event!.event);
    expect(event!.event.type).toBe('whatsapp.message.received');
  });

  it('quarantines 5,000 levels of nesting before parsing it', () => {
    expectQuarantine(
      classify(withMessageField(`${'['.repeat(5000)}${']'.repeat(5000)}`)),
      'too_deep',
      /^too deep: .* over 64 levels$/,
    );
  });

  it('keeps a body nested as deep as the limit allows', () => {
    expect(classify(withMessageField(`${'['.repeat(56)}${']'.repeat(56)}`)).kind).toBe('events');
  });

  it('quarantines a 70,000-character wamid and a 70,000-digit wa_id as unknown shapes, naming the path', () => {
    expectQuarantine(
      classify(textWebhook({ text: 'hi', from: GUEST, wamid: `wamid.${'A'.repeat(70_000)}` })),
      'unknown_shape',
      /messages\.0\.id/,
    );
    expectQuarantine(
      classify(textWebhook({ text: 'hi', from: '9'.repeat(70_000) })),
      'unknown_shape',
      /contacts\.0\.wa_id/,
    );
  });

  it('quarantines an event larger than max_payload leaves after headers', () => {
    expectQuarantine(
      classify(withMessageField(JSON.stringify('x'.repeat(MAX_PAYLOAD)))),
      'over_nats_limits',
      /^over NATS limits: event 0 \(whatsapp\.message\.received\), \d+ bytes of data, over the \d+ that max_payload leaves/,
    );
  });

  it('quarantines a body whose subjects would not fit the control line (here: through a long prefix)', () => {
    const longPrefix = topology('p'.repeat(4000));
    expect(classify(textWebhook({ text: 'hi', from: GUEST }), longPrefix)).toMatchObject({
      kind: 'quarantine',
      reason: 'over_nats_limits',
      detail: expect.stringMatching(/subject of \d+ bytes/),
    });
  });

  it(`quarantines a body of more than ${MAX_EVENTS_PER_BODY} events and keeps one of exactly that many`, () => {
    const statuses = (count: number) =>
      batchWebhook(
        Array.from({ length: count }, (_, i) => ({
          kind: 'status' as const,
          wamid: `wamid.OUT${i}`,
          status: 'read' as const,
          recipientId: GUEST,
        })),
      );
    expect(classify(statuses(MAX_EVENTS_PER_BODY)).events).toHaveLength(MAX_EVENTS_PER_BODY);
    expectQuarantine(
      classify(statuses(MAX_EVENTS_PER_BODY + 1)),
      'too_many_events',
      /^too many events: 2001, over 2000$/,
    );
  });

  it('still quarantines what is not JSON, or not a shape we know', () => {
    expectQuarantine(classify('{"object":'), 'not_json', /^not JSON/);
    expectQuarantine(classify('{"object":"page","entry":[]}'), 'unknown_shape', /^unknown shape: object/);
  });

  it("keeps the guest's words and number out of the reason when the body is not JSON", () => {
    const classified = classify('["971501234567", "my card", x]');
    expectQuarantine(classified, 'not_json', /^not JSON/);
    const reason = JSON.stringify(classified);
    expect(reason).not.toContain('971501234567');
    expect(reason).not.toContain('my card');
  });
});
