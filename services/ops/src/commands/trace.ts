import type { JsMsg, StoredMsg } from '@nats-io/jetstream';
import type { OpsConfig } from '@reserveit/config';
import { type MessageReceivedEvent, messageReceivedEventSchema } from '@reserveit/contracts';
import { readStream, type StreamRange } from '@reserveit/replay';
import { type Nats, withNats } from '../connections.js';
import { EXIT, OpsError } from '../exit-codes.js';
import {
  commandStep,
  conversationSteps,
  type JourneyStep,
  outcomeStep,
  receivedStep,
  reservationStep,
  sortJourney,
  statusStep,
  traceIdOf,
} from '../journey.js';
import { locateMessage } from '../message-location.js';
import { note, out } from '../output.js';

export interface TraceOptions {
  /** How long after the message was received to look for its effects (ms). */
  windowMs: number;
  /** Only scan WHATSAPP messages stored this recently when the conversation service cannot locate it (ms). */
  sinceMs?: number;
  json: boolean;
}

interface Inbound {
  seq: number;
  traceparent: string | undefined;
  event: MessageReceivedEvent;
}

/** Subjects of every inbound message: `<prefix>.wa.in.msg.>` (the partition's filter, one level up). */
const inboundMessagesAll = (nats: Nats) =>
  nats.topology.subjects.inboundMessagePartition(0).replace(/\.0\.>$/, '.>');

const headerOf = (message: JsMsg | StoredMsg, name: string) =>
  ('header' in message ? message.header : message.headers)?.get(name) || undefined;

function toInbound(message: JsMsg | StoredMsg, wamid: string): Inbound | undefined {
  if (headerOf(message, 'Nats-Msg-Id') !== wamid) return undefined;
  const parsed = messageReceivedEventSchema.safeParse(message.json());
  if (!parsed.success) return undefined;
  return { seq: message.seq, traceparent: headerOf(message, 'traceparent'), event: parsed.data };
}

async function findInbound(config: OpsConfig, nats: Nats, wamid: string, sinceMs?: number): Promise<Inbound> {
  const stream = nats.topology.streams.whatsapp.name;
  const location = await locateMessage(config, wamid);
  if (location.kind === 'found') {
    const stored = await nats.jsm.streams.getMessage(stream, { seq: location.streamSeq }).catch(() => null);
    const inbound = stored && toInbound(stored, wamid);
    if (inbound) return inbound;
  }
  // trace is what on-call runs when something is down: without the conversation service's answer
  // the stream still holds the message, so say why this is slower and scan.
  if (location.kind === 'no-answer') {
    note(
      `reserveit-ops: ${location.reason}; scanning ${stream} for the message instead${sinceMs === undefined ? ' (--since narrows the scan)' : ''}`,
    );
  }
  // Not handled by the conversation service (yet): scan the inbound messages for the Msg-Id.
  const range: StreamRange = {
    stream,
    filterSubject: inboundMessagesAll(nats),
    ...(sinceMs === undefined ? {} : { fromTime: new Date(Date.now() - sinceMs).toISOString() }),
  };
  for await (const message of readStream(nats.js, nats.jsm, range)) {
    const inbound = toInbound(message, wamid);
    if (inbound) return inbound;
  }
  throw new OpsError(
    `no inbound message with Nats-Msg-Id ${wamid} in ${stream}${sinceMs === undefined ? '' : ' (within --since)'}: check the wamid, NATS_URL and NATS_PREFIX`,
  );
}

/** Messages of one stream (optionally one subject) stored from `from` until `until`, in order. */
async function* during(
  nats: Nats,
  stream: string,
  filterSubject: string | undefined,
  from: Date,
  until: number,
) {
  const range: StreamRange = { stream, filterSubject, fromTime: from.toISOString() };
  try {
    for await (const message of readStream(nats.js, nats.jsm, range)) {
      if (message.time.getTime() > until) return;
      yield message;
    }
  } catch (error) {
    // A stream no service has created yet holds nothing of this journey.
    if (/stream not found/i.test((error as Error).message)) return;
    throw error;
  }
}

const jsonOf = (message: JsMsg): unknown => {
  try {
    return message.json();
  } catch {
    return undefined;
  }
};

export async function collectJourney(config: OpsConfig, nats: Nats, wamid: string, options: TraceOptions) {
  const inbound = await findInbound(config, nats, wamid, options.sinceMs);
  const { streams, subjects } = nats.topology;
  const event = inbound.event;
  // Events follow the message; a little slack for clocks of other hosts (the stream's own time is used).
  const from = new Date(Date.parse(event.receivedAt) - 5_000);
  const until = Date.parse(event.receivedAt) + options.windowMs;
  // The reply commands first: an assistant turn repeats a reply's text only when its command is missing.
  const keys = new Set<string>();
  const replies: JourneyStep[] = [];
  const commands = subjects.outboundCommand(event.phoneNumberId, event.guest.id);
  for await (const m of during(nats, streams.outbound.name, commands, from, until)) {
    const found = commandStep(jsonOf(m), wamid, `${streams.outbound.name}#${m.seq}`);
    if (!found) continue;
    keys.add(found.key);
    replies.push(found.step);
  }
  const steps: JourneyStep[] = [receivedStep(event, `${streams.whatsapp.name}#${inbound.seq}`)];
  for await (const m of during(nats, streams.conversations.name, undefined, from, until)) {
    steps.push(...conversationSteps(jsonOf(m), wamid, `${streams.conversations.name}#${m.seq}`, keys));
  }
  for await (const m of during(nats, streams.reservations.name, undefined, from, until)) {
    const step = reservationStep(jsonOf(m), wamid, `${streams.reservations.name}#${m.seq}`);
    if (step) steps.push(step);
  }
  steps.push(...replies);
  const sentWamids = new Set<string>();
  if (keys.size > 0) {
    const outcomes = subjects.outboundEvent(event.phoneNumberId);
    for await (const m of during(nats, streams.outbound.name, outcomes, from, until)) {
      const found = outcomeStep(jsonOf(m), keys, `${streams.outbound.name}#${m.seq}`);
      if (!found) continue;
      if (found.sentWamid) sentWamids.add(found.sentWamid);
      steps.push(found.step);
    }
    const statuses = subjects.inboundStatus(event.phoneNumberId, event.guest.id);
    for await (const m of during(nats, streams.whatsapp.name, statuses, from, until)) {
      const step = statusStep(jsonOf(m), sentWamids, keys, `${streams.whatsapp.name}#${m.seq}`);
      if (step) steps.push(step);
    }
  }
  const traceId = traceIdOf(inbound.traceparent);
  return {
    wamid,
    traceId: traceId ?? null,
    jaeger: traceId ? `${config.JAEGER_UI_URL}/trace/${traceId}` : null,
    journey: sortJourney(steps),
  };
}

/** What was said, under the step's name: `guest: …` / `bot: …`, continuation lines aligned. */
function saidLines(said: NonNullable<JourneyStep['said']>, indent: number): string {
  const label = `${said.by}: `;
  const pad = ' '.repeat(indent);
  return said.text
    .split('\n')
    .map((line, i) => `${pad}${i === 0 ? label : ' '.repeat(label.length)}${line}`)
    .join('\n');
}

export async function traceCommand(config: OpsConfig, wamid: string, options: TraceOptions): Promise<number> {
  return withNats(config, async (nats) => {
    const result = await collectJourney(config, nats, wamid, options);
    if (options.json) {
      out(JSON.stringify(result, null, 2));
      return EXIT.ok;
    }
    out(`message ${wamid}`);
    out(
      result.traceId
        ? `trace   ${result.traceId}`
        : 'trace   (no traceparent header: tracing was off at ingress)',
    );
    if (result.jaeger) out(`jaeger  ${result.jaeger}`);
    out('');
    const start = Date.parse(result.journey[0]?.at ?? '');
    for (const step of result.journey) {
      const offset = Date.parse(step.at) - start;
      const head = `${step.at}  +${String(offset).padStart(6)} ms  `;
      out(`${head}${step.step.padEnd(11)} ${step.detail}  [${step.source}]`);
      if (step.said) out(saidLines(step.said, head.length));
    }
    if (!result.journey.some((s) => s.step === 'replied')) note('no reply found within --window');
    return EXIT.ok;
  });
}
