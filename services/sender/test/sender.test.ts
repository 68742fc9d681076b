import { DEAD_LETTER_HEADERS, publish } from '@reserveit/messaging';
import { graphError, type RecordedRequest } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSender } from '../src/server.js';
import { command, eventually, type Harness, harness, PNID } from './sender-under-test.js';

let h: Harness;
let sender: RunningSender;

beforeAll(async () => {
  h = await harness();
  sender = await h.start();
});

afterAll(async () => {
  await h.cleanup();
});

function bodyOf(request: RecordedRequest): Record<string, unknown> {
  return typeof request.body === 'object' && request.body !== null
    ? (request.body as Record<string, unknown>)
    : {};
}

/** Read receipts the sender has not acknowledged yet (held, or waiting in the stream). */
const readsPending = async () => {
  const reads = h.topology.consumers.sender.reads;
  const info = await h.nats.jsm.consumers.info(reads.stream, reads.durable);
  return info.num_ack_pending + info.num_pending;
};
/** The newest dead letter of the read receipts, when it is the command with this id. */
const lastReadLetter = async (id: string) => {
  const letter = await h.nats.jsm.streams.getMessage(h.topology.streams.deadLetters.name, {
    last_by_subj: h.topology.subjects.deadLetter('sender-reads'),
  });
  return letter?.json<{ id?: string }>().id === id ? letter : undefined;
};
const callsFor = (key: string) => h.graph.requests.filter((r) => bodyOf(r).biz_opaque_callback_data === key);
const eventsFor = (key: string) => h.events.filter((e) => e.id === key);
const succeeded = (key: string) =>
  eventually(() => eventsFor(key).find((e) => e.type === 'whatsapp.send.succeeded'));
const failed = (key: string) =>
  eventually(() => eventsFor(key).find((e) => e.type === 'whatsapp.send.failed'));

describe('sending', () => {
  it('sends a text reply once, quoting the guest message, with the key as callback data, and publishes sent with the wamid', async () => {
    const cmd = command(
      { kind: 'text', body: 'Your table is booked', previewUrl: false },
      { replyTo: 'wamid.guest1' },
    );
    await h.request(cmd);
    const event = await succeeded(cmd.id);

    expect(callsFor(cmd.id)).toHaveLength(1);
    const [call] = callsFor(cmd.id);
    expect(call).toMatchObject({ method: 'POST', path: `/v23.0/${PNID}/messages`, authorized: true });
    expect(call?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: cmd.to,
      context: { message_id: 'wamid.guest1' },
      type: 'text',
      text: { body: 'Your table is booked', preview_url: false },
      biz_opaque_callback_data: cmd.id,
    });
    expect(event).toMatchObject({ phoneNumberId: PNID, attempts: 1 });
    expect(event.type === 'whatsapp.send.succeeded' && event.wamid).toMatch(/^wamid\./);
    // The outcome event is published before the row records that it was; poll for the row.
    await expect
      .poll(() => sender.store.get(cmd.id))
      .toMatchObject({ state: 'sent', attempts: 1, published: true });
  });

  it('sends interactive buttons, an interactive list and a template in the Graph API shapes', async () => {
    const buttons = command({
      kind: 'buttons',
      body: 'Book Friday 20:00 for 4?',
      footer: 'Reserve It',
      buttons: [
        { id: 'confirm', title: 'Confirm' },
        { id: 'change', title: 'Change' },
        { id: 'cancel', title: 'Cancel' },
      ],
    });
    const list = command({
      kind: 'list',
      header: 'Menu',
      body: 'Pick a category',
      button: 'Categories',
      sections: [
        {
          rows: [
            { id: 'starters', title: 'Starters', description: 'Small plates' },
            { id: 'mains', title: 'Mains' },
          ],
        },
      ],
    });
    const template = command({
      kind: 'template',
      name: 'booking_reminder',
      language: 'en_US',
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Friday' }] }],
    });
    for (const cmd of [buttons, list, template]) await h.request(cmd);
    for (const cmd of [buttons, list, template]) await succeeded(cmd.id);

    expect(callsFor(buttons.id).map(bodyOf)).toEqual([
      expect.objectContaining({
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Book Friday 20:00 for 4?' },
          footer: { text: 'Reserve It' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'confirm', title: 'Confirm' } },
              { type: 'reply', reply: { id: 'change', title: 'Change' } },
              { type: 'reply', reply: { id: 'cancel', title: 'Cancel' } },
            ],
          },
        },
      }),
    ]);
    expect(callsFor(list.id).map(bodyOf)).toEqual([
      expect.objectContaining({
        type: 'interactive',
        interactive: {
          type: 'list',
          header: { type: 'text', text: 'Menu' },
          body: { text: 'Pick a category' },
          action: {
            button: 'Categories',
            sections: [
              {
                rows: [
                  { id: 'starters', title: 'Starters', description: 'Small plates' },
                  { id: 'mains', title: 'Mains' },
                ],
              },
            ],
          },
        },
      }),
    ]);
    expect(callsFor(template.id).map(bodyOf)).toEqual([
      expect.objectContaining({
        to: template.to,
        type: 'template',
        template: {
          name: 'booking_reminder',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Friday' }] }],
        },
      }),
    ]);
  });

  it("sends a booking Flow as Meta's interactive flow message, opening on the endpoint's first screen", async () => {
    const flow = command({
      kind: 'flow',
      body: 'Pick a day, a time and the number of guests.',
      flowId: '1234567890',
      flowToken: 'book.demo-dubai.n1',
      cta: 'Book a table',
    });
    await h.request(flow);
    await succeeded(flow.id);
    expect(callsFor(flow.id).map(bodyOf)).toEqual([
      expect.objectContaining({
        to: flow.to,
        type: 'interactive',
        interactive: {
          type: 'flow',
          body: { text: 'Pick a day, a time and the number of guests.' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: 'book.demo-dubai.n1',
              flow_id: '1234567890',
              flow_cta: 'Book a table',
              flow_action: 'data_exchange',
            },
          },
        },
      }),
    ]);
  });

  it('marks the guest message read with the status body and nothing else, without an outbox row or an outcome event', async () => {
    const cmd = command({ kind: 'read', messageId: 'wamid.guest-read-1' });
    await h.request(cmd);
    const calls = () => h.graph.requests.filter((r) => bodyOf(r).message_id === 'wamid.guest-read-1');
    await eventually(() => calls().length > 0);
    expect(calls().map(bodyOf)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.guest-read-1' },
    ]);
    await expect.poll(() => readsPending()).toBe(0);
    expect(await sender.store.get(cmd.id)).toBeUndefined();
    expect(eventsFor(cmd.id)).toEqual([]);
  });

  it('still sends a read receipt that an earlier conversation version put among the replies, through the outbox', async () => {
    const cmd = command({ kind: 'read', messageId: 'wamid.guest-read-legacy' });
    await publish(h.nats.js, {
      subject: h.topology.subjects.outboundCommand(cmd.phoneNumberId, cmd.to),
      msgId: cmd.id,
      data: JSON.stringify(cmd),
      timeoutMs: 5_000,
    });
    const event = await succeeded(cmd.id);
    const calls = h.graph.requests.filter((r) => bodyOf(r).message_id === 'wamid.guest-read-legacy');
    expect(calls.map(bodyOf)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.guest-read-legacy' },
    ]);
    // Mark-as-read answers {"success":true}: there is no message id to report.
    expect(event).not.toHaveProperty('wamid');
  });

  it('calls the Graph API once for a command published twice with its Msg-Id and again under another Msg-Id (past the duplicate window)', async () => {
    const cmd = command({ kind: 'text', body: 'Once only', previewUrl: false });
    await h.request(cmd);
    await h.request(cmd);
    await succeeded(cmd.id);
    // What a republish after the stream's duplicate window looks like: a new message, same key.
    await h.request(cmd, `${cmd.id}#later`);
    // A later reply to the same guest goes out only after everything before it was handled.
    const after = command({ kind: 'text', body: 'Next', previewUrl: false }, { to: cmd.to });
    await h.request(after);
    await succeeded(after.id);

    expect(callsFor(cmd.id)).toHaveLength(1);
    expect(eventsFor(cmd.id)).toHaveLength(1);
  });
});

describe('errors from the Graph API', () => {
  it('retries a throughput limit (130429) after a backoff and sends once', async () => {
    const cmd = command({ kind: 'text', body: 'Busy Meta', previewUrl: false });
    h.graph.failNext(1, { httpStatus: 400, code: 130429 });
    await h.request(cmd);
    const event = await succeeded(cmd.id);

    const calls = callsFor(cmd.id);
    expect(calls.map((c) => c.status)).toEqual([400, 200]);
    // SENDER_RETRY_BASE_MS=100 with equal jitter: at least half of it.
    expect(calls[1]!.at.getTime() - calls[0]!.at.getTime()).toBeGreaterThanOrEqual(50);
    expect(event.attempts).toBe(2);
    expect(eventsFor(cmd.id)).toHaveLength(1);
  });

  it('fails a message outside the 24-hour window (131047) at once with its code and does not retry it', async () => {
    const cmd = command({ kind: 'text', body: 'Too late', previewUrl: false });
    h.graph.failNext(1, { httpStatus: 400, code: 131047 });
    await h.request(cmd);
    const event = await failed(cmd.id);
    expect(event).toMatchObject({
      type: 'whatsapp.send.failed',
      code: 131047,
      exhausted: false,
      attempts: 1,
    });

    const after = command({ kind: 'text', body: 'Next', previewUrl: false }, { to: cmd.to });
    await h.request(after);
    await succeeded(after.id);
    expect(callsFor(cmd.id)).toHaveLength(1);
    expect(await sender.store.get(cmd.id)).toMatchObject({ state: 'failed', last_error_code: 131047 });
  });

  it('dead-letters a message after SENDER_MAX_ATTEMPTS server errors and publishes failed with exhausted', async () => {
    const cmd = command({ kind: 'text', body: 'Meta is down', previewUrl: false });
    h.graph.failNext(3, { httpStatus: 500, code: 131000 });
    await h.request(cmd);
    const event = await failed(cmd.id);
    expect(event).toMatchObject({ code: 131000, exhausted: true, attempts: 3 });
    expect(callsFor(cmd.id)).toHaveLength(3);

    const dlq = h.topology.subjects.deadLetter('sender');
    const stored = await h.nats.jsm.streams.getMessage(h.topology.streams.deadLetters.name, {
      last_by_subj: dlq,
    });
    expect(stored?.json()).toMatchObject({ id: cmd.id, message: { body: 'Meta is down' } });
    expect(stored?.header.get(DEAD_LETTER_HEADERS.msgId)).toBe(cmd.id);
    expect(stored?.header.get(DEAD_LETTER_HEADERS.error)).toContain('131000');

    const metrics = await fetch(`${sender.address}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/sender_graph_errors_total\{code="131000",service="sender"\} 3/);
    expect(metrics).toMatch(/sender_dead_letters\{service="sender"\} 1/);
  });

  it("keeps one guest's replies in order while the first is retried, without holding up other guests", async () => {
    const first = command({ kind: 'text', body: 'first', previewUrl: false });
    const second = command({ kind: 'text', body: 'second', previewUrl: false }, { to: first.to });
    const other = command({ kind: 'text', body: 'other guest', previewUrl: false });
    let refused = false;
    h.graph.respondWith((r) => {
      if (refused || bodyOf(r).biz_opaque_callback_data !== first.id) return undefined;
      refused = true;
      return { status: 400, body: graphError(131056) };
    });
    try {
      await h.request(first);
      await h.request(second);
      await h.request(other);
      await succeeded(second.id);
      await succeeded(other.id);
    } finally {
      h.graph.respondWith(undefined);
    }

    const order = h.graph.requests
      .filter((r) => [first.id, second.id, other.id].includes(String(bodyOf(r).biz_opaque_callback_data)))
      .map((r) => String(bodyOf(r).biz_opaque_callback_data));
    expect(order.filter((k) => k !== other.id)).toEqual([first.id, first.id, second.id]);
    // The other guest went out while the first guest's message waited for its retry.
    expect(order.indexOf(other.id)).toBeLessThan(order.lastIndexOf(first.id));
  });
});

describe('read receipts', () => {
  it("neither wait for nor hold up the guest's replies", async () => {
    const reply = command({ kind: 'text', body: 'after the tick', previewUrl: false });
    const read = command({ kind: 'read', messageId: 'wamid.guest-message' }, { to: reply.to });
    const later = command({ kind: 'text', body: 'second reply', previewUrl: false }, { to: reply.to });
    let refusals = 0;
    h.graph.respondWith((r) => {
      // The read receipt keeps failing with a retryable error for a while.
      if (bodyOf(r).status !== 'read' || refusals >= 2) return undefined;
      refusals++;
      return { status: 500, body: graphError(131000) };
    });
    const readCalls = () => h.graph.requests.filter((r) => bodyOf(r).message_id === 'wamid.guest-message');
    try {
      await h.request(read);
      await h.request(reply);
      await h.request(later);
      await succeeded(later.id);
      await eventually(() => readCalls().length === 3);
    } finally {
      h.graph.respondWith(undefined);
    }
    const order = h.graph.requests
      .map((r) => bodyOf(r))
      .filter((b) =>
        b.status === 'read'
          ? b.message_id === 'wamid.guest-message'
          : [reply.id, later.id].includes(String(b.biz_opaque_callback_data)),
      )
      .map((b) => (b.status === 'read' ? 'read' : String(b.biz_opaque_callback_data)));
    // Both replies went out, in order, before the read receipt finally succeeded.
    expect(order.filter((k) => k !== 'read')).toEqual([reply.id, later.id]);
    expect(order.lastIndexOf('read')).toBeGreaterThan(order.indexOf(later.id));
    await expect.poll(() => readsPending()).toBe(0);
  });

  it('that a reply carries mark the message read beside the reply, without a command or row of their own', async () => {
    const reply = command(
      { kind: 'text', body: 'answer with ticks', previewUrl: false },
      { replyTo: 'wamid.carried-1', markRead: 'wamid.carried-1' },
    );
    await h.request(reply);
    await succeeded(reply.id);
    const reads = () => h.graph.requests.filter((r) => bodyOf(r).message_id === 'wamid.carried-1');
    await eventually(() => reads().length > 0);
    expect(reads().map(bodyOf)).toEqual([
      { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.carried-1' },
    ]);
    // The reply itself goes as before: quoting the message, its key as callback data, sent once.
    expect(callsFor(reply.id).map((r) => bodyOf(r).context)).toEqual([{ message_id: 'wamid.carried-1' }]);
    expect(eventsFor(reply.id).map((e) => e.type)).toEqual(['whatsapp.send.succeeded']);
    expect(await sender.store.get(`${reply.id}:read`)).toBeUndefined();
  });

  it('that a reply carries are handed to the read receipt consumer when the Graph API does not take them, and the reply is not held up', async () => {
    const reply = command(
      { kind: 'text', body: 'answer, ticks later', previewUrl: false },
      { replyTo: 'wamid.carried-2', markRead: 'wamid.carried-2' },
    );
    let refusals = 0;
    h.graph.respondWith((r) => {
      if (bodyOf(r).message_id !== 'wamid.carried-2' || refusals >= 2) return undefined;
      refusals++;
      return { status: 500, body: graphError(131000) };
    });
    const reads = () => h.graph.requests.filter((r) => bodyOf(r).message_id === 'wamid.carried-2');
    try {
      await h.request(reply);
      await succeeded(reply.id);
      // Refused beside the reply, then refused and taken by sender.reads after its backoff.
      await eventually(() => reads().length === 3);
    } finally {
      h.graph.respondWith(undefined);
    }
    expect(callsFor(reply.id)).toHaveLength(1);
    await expect.poll(() => readsPending()).toBe(0);
    expect(await sender.store.get(`${reply.id}:read`)).toBeUndefined();
  });

  it('dead-letter a reply published on the read subject without sending it', async () => {
    const stray = command({ kind: 'text', body: 'not a read receipt', previewUrl: false });
    await publish(h.nats.js, {
      subject: h.topology.subjects.outboundRead(stray.phoneNumberId),
      msgId: stray.id,
      data: JSON.stringify(stray),
      timeoutMs: 5_000,
    });
    const dead = await eventually(() => lastReadLetter(stray.id));
    expect(dead.header.get(DEAD_LETTER_HEADERS.error)).toBe('Error: not a read receipt');
    expect(callsFor(stray.id)).toEqual([]);
    expect(await sender.store.get(stray.id)).toBeUndefined();
  });

  it('are not repeated after a permanent refusal, and are dead-lettered once retryable refusals use up the attempts', async () => {
    const gone = command({ kind: 'read', messageId: 'wamid.gone' });
    const busy = command({ kind: 'read', messageId: 'wamid.busy' });
    h.graph.respondWith((r) => {
      const id = bodyOf(r).message_id;
      if (id === 'wamid.gone') return { status: 400, body: graphError(100) };
      if (id === 'wamid.busy') return { status: 500, body: graphError(131000) };
      return undefined;
    });
    const callsTo = (id: string) => h.graph.requests.filter((r) => bodyOf(r).message_id === id).length;
    try {
      await h.request(gone);
      await h.request(busy);
      const dead = await eventually(() => lastReadLetter(busy.id));
      expect(dead.json()).toEqual(busy);
      expect(dead.header.get(DEAD_LETTER_HEADERS.deliveries)).toBe('3');
    } finally {
      h.graph.respondWith(undefined);
    }
    // SENDER_MAX_ATTEMPTS is 3 in these tests.
    expect(callsTo('wamid.busy')).toBe(3);
    expect(callsTo('wamid.gone')).toBe(1);
    await expect.poll(() => readsPending()).toBe(0);
  });
});

describe('delivery statuses', () => {
  it('ends as read when read arrives before delivered and sent', async () => {
    const cmd = command({ kind: 'text', body: 'Status me', previewUrl: false });
    await h.request(cmd);
    const event = await succeeded(cmd.id);
    const wamid = event.type === 'whatsapp.send.succeeded' ? event.wamid! : '';
    await h.status(wamid, 'read');
    await h.status(wamid, 'delivered');
    await h.status(wamid, 'sent');
    await h.status(wamid, 'failed');
    // Statuses are applied one at a time in stream order: once a later one is in, these are too.
    await h.status('wamid.probe', 'delivered');
    await eventually(async () => (await sender.statuses.statusOf('wamid.probe')) === 'delivered');
    expect(await sender.statuses.deliveryStatus(cmd.id)).toBe('read');
  });

  it('keeps a status that arrives before the send is recorded and joins it by wamid', async () => {
    const cmd = command({ kind: 'text', body: 'Early status', previewUrl: false });
    const wamid = 'wamid.early-status-1';
    await h.status(wamid, 'read');
    await h.status(wamid, 'delivered');
    await eventually(async () => (await sender.statuses.statusOf(wamid)) === 'read');
    h.graph.respondWith((r) =>
      bodyOf(r).biz_opaque_callback_data === cmd.id
        ? { status: 200, body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: wamid }] } }
        : undefined,
    );
    try {
      await h.request(cmd);
      await succeeded(cmd.id);
    } finally {
      h.graph.respondWith(undefined);
    }
    // The outcome event is published before the row records that it was; poll for the row.
    await expect.poll(() => sender.store.get(cmd.id)).toMatchObject({ state: 'sent', wamid });
    expect(await sender.statuses.deliveryStatus(cmd.id)).toBe('read');
  });
});
