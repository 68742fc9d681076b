import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  printOutputOnFailure,
  type SystemUnderTest,
  systemUnderTest,
} from './system-under-test.js';

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

let receiver: OtlpReceiver;
let sut: SystemUnderTest;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  sut = await systemUnderTest({ otlpEndpoint: receiver.endpoint });
}, 120_000);
afterAll(async () => {
  await sut?.stop();
  await receiver?.close();
});
printOutputOnFailure(() => sut);

function tree(spans: ReceivedSpan[]): string {
  const children = (id: string | undefined) => spans.filter((s) => s.parentSpanId === id);
  const ids = new Set(spans.map((s) => s.spanId));
  const lines: string[] = [];
  const walk = (span: ReceivedSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.service}: ${span.name} (kind ${span.kind})`);
    for (const child of children(span.spanId)) walk(child, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId))) walk(root, 0);
  return lines.join('\n');
}

describe('one trace per inbound message', () => {
  it('links spans of all five services from the webhook to the Graph API call', async () => {
    const { whatsapp } = sut;
    const guest = { waId: '971500000301', name: 'Alex' };
    const wamid = await whatsapp.text(guest, 'Book a table for 2 tomorrow at 7pm, my name is Alex');
    const replies = await whatsapp.answerTo(wamid);
    expect(replies.length).toBeGreaterThan(0);

    const published = await eventually('the ingress publish span of the message', () =>
      receiver.spans.find(
        (s) =>
          s.service === 'ingress' && s.kind === PRODUCER && s.attributes['messaging.message.id'] === wamid,
      ),
    );
    const inTrace = () => receiver.spans.filter((s) => s.traceId === published.traceId);
    // Graph API calls (the read receipt and each reply) are the last spans to end; spans are
    // exported in batches every 200 ms, so a child may arrive a batch before its parent: the tree
    // is read once every span's parent has arrived too.
    await eventually(
      'spans of all five services',
      () => {
        const spans = inTrace();
        const ids = new Set(spans.map((s) => s.spanId));
        const services = new Set(spans.map((s) => s.service));
        return services.size === 5 &&
          spans.filter((s) => s.service === 'sender' && s.kind === CLIENT && s.name === 'POST').length >
            replies.length &&
          spans.every((s) => !s.parentSpanId || ids.has(s.parentSpanId))
          ? true
          : undefined;
      },
      10_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${tree(inTrace())}`);
    });
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan | undefined) =>
      span?.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    const ancestors = (span: ReceivedSpan | undefined) => {
      const chain: ReceivedSpan[] = [];
      for (let p = parentOf(span); p; p = parentOf(p)) chain.push(p);
      return chain;
    };
    const describeTree = `\n${tree(spans)}`;

    // ingress: the HTTP server span is the root, the publish its descendant.
    const webhook = spans.find((s) => s.service === 'ingress' && s.kind === SERVER);
    expect(webhook, describeTree).toBeDefined();
    expect(webhook?.parentSpanId, describeTree).toBeUndefined();
    expect(ancestors(published), describeTree).toContain(webhook);

    // conversation consumes with the publish as parent, and calls intent and reservation under it.
    const consumed = spans.find((s) => s.service === 'conversation' && s.kind === CONSUMER);
    expect(parentOf(consumed), describeTree).toBe(published);
    for (const service of ['intent', 'reservation']) {
      const served = spans.find((s) => s.service === service && s.kind === SERVER);
      const call = parentOf(served);
      expect(call?.service, `${service}${describeTree}`).toBe('conversation');
      expect(call?.kind, `${service}${describeTree}`).toBe(CLIENT);
      expect(ancestors(served), `${service}${describeTree}`).toContain(consumed);
    }

    // conversation publishes the reply on OUTBOUND; the sender consumes it and calls the Graph API.
    const replyKey = replies[0]?.key;
    const command = spans.find(
      (s) =>
        s.service === 'conversation' &&
        s.kind === PRODUCER &&
        s.attributes['messaging.message.id'] === replyKey,
    );
    expect(ancestors(command), describeTree).toContain(consumed);
    const intake = spans.find(
      (s) =>
        s.service === 'sender' && s.kind === CONSUMER && s.attributes['messaging.message.id'] === replyKey,
    );
    expect(parentOf(intake), describeTree).toBe(command);
    const graphCalls = spans.filter((s) => s.service === 'sender' && s.kind === CLIENT && s.name === 'POST');
    const replyCall = graphCalls.find((s) => ancestors(s).includes(command as ReceivedSpan));
    expect(replyCall, describeTree).toBeDefined();
    expect(
      Object.values(replyCall?.attributes ?? {}).map(String),
      JSON.stringify(replyCall?.attributes),
    ).toContainEqual(expect.stringContaining('/messages'));
  });
});
