import type { OpsConfig } from '@reserveit/config';
import { consumerEntries, type Topology } from '@reserveit/contracts';
import { type Nats, withNats } from '../connections.js';
import {
  type DeadLetter,
  type DeadLetterFilter,
  getDeadLetter,
  listDeadLetters,
  removeDeadLetter,
  republish,
} from '../dead-letters.js';
import { EXIT, OpsError } from '../exit-codes.js';
import { maskPhones } from '../mask.js';
import { ago, note, out, table } from '../output.js';
import { type OutboxReset, outboxKeyOf, type SenderOutbox, senderOutbox } from '../sender-outbox.js';

const summary = (letter: DeadLetter) => ({
  seq: letter.seq,
  at: letter.at,
  consumer: letter.consumer,
  stream: letter.stream,
  sourceSeq: letter.sourceSeq,
  subject: maskPhones(letter.subject),
  msgId: letter.msgId,
  deliveries: letter.deliveries,
  error: letter.error,
});

export async function dlqList(config: OpsConfig, filter: DeadLetterFilter, json: boolean): Promise<number> {
  return withNats(config, async (nats) => {
    const now = Date.now();
    const letters = await listDeadLetters(nats, filter, now);
    if (json) {
      out(JSON.stringify(letters.map(summary), null, 2));
      return EXIT.ok;
    }
    if (letters.length === 0) {
      out('no dead letters match');
      return EXIT.ok;
    }
    out(
      table(
        ['SEQ', 'AGE', 'CONSUMER', 'FROM', 'TRIES', 'ERROR'],
        letters.map((l) => [
          String(l.seq),
          ago(new Date(l.at), now),
          l.consumer,
          `${l.stream}#${l.sourceSeq}`,
          String(l.deliveries),
          l.error.length > 80 ? `${l.error.slice(0, 77)}...` : l.error,
        ]),
      ),
    );
    out(`\n${letters.length} dead letter(s); \`dlq show <seq>\` for one, \`dlq redrive\` to send them back`);
    return EXIT.ok;
  });
}

/** The payload as indented JSON when it is JSON, else as text; phone numbers masked either way. */
export function prettyPayload(data: Uint8Array): string {
  const text = new TextDecoder().decode(data);
  try {
    return maskPhones(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return maskPhones(text);
  }
}

export async function dlqShow(config: OpsConfig, seq: number, json: boolean): Promise<number> {
  return withNats(config, async (nats) => {
    const letter = await getDeadLetter(nats, seq);
    if (json) {
      const masked = Object.fromEntries(Object.entries(letter.headers).map(([k, v]) => [k, maskPhones(v)]));
      out(
        JSON.stringify({ ...summary(letter), headers: masked, payload: prettyPayload(letter.data) }, null, 2),
      );
      return EXIT.ok;
    }
    out(`dead letter #${letter.seq}, written ${letter.at}`);
    for (const [key, value] of Object.entries(letter.headers)) out(`  ${key}: ${maskPhones(value)}`);
    out('payload:');
    out(prettyPayload(letter.data));
    return EXIT.ok;
  });
}

export type RedriveOutcome =
  | { seq: number; result: 'republished'; newSeq: number }
  | { seq: number; result: 'outbox-reset'; key: string }
  | { seq: number; result: 'refused'; reason: string };

export interface RedriveOptions {
  /** For the sender's dead letters: reset the failed outbox row so the dispatcher sends it again. */
  resetOutbox: boolean;
}

/** What to do with a sender dead letter, by what its outbox row says. */
type SenderVerdict = { kind: 'republish' } | { kind: 'reset' } | { kind: 'refused'; reason: string };

const nothingToSend = (state: string): SenderVerdict => ({
  kind: 'refused',
  reason: `the sender's outbox row is "${state}", so there is nothing to send again; purge this dead letter`,
});

/** Without --reset-outbox: a row's state. No row: the intake refused the command itself; a republish goes through it again. */
function verdictOfState(state: string | undefined): SenderVerdict {
  if (state === undefined) return { kind: 'republish' };
  if (state !== 'failed') return nothingToSend(state);
  return {
    kind: 'refused',
    reason:
      "the sender's outbox row is final (failed), so a republished command would send nothing; add --reset-outbox to reset the row and have the sender send it again",
  };
}

/** With --reset-outbox: what the sender did with the row. */
function verdictOfReset(outcome: OutboxReset): SenderVerdict {
  switch (outcome.result) {
    case 'reset':
      return { kind: 'reset' };
    case 'no-row':
      return { kind: 'republish' };
    case 'not-failed':
      return nothingToSend(outcome.state);
    case 'busy':
      return {
        kind: 'refused',
        reason: `another reply to the same guest (${outcome.inFlight}) is being sent and this one may not overtake it; its row is still failed: redrive again once that one is done`,
      };
    case 'reached-meta':
      return {
        kind: 'refused',
        reason: `a status webhook says Meta took one of its attempts (${outcome.status}): sending it again would send it twice; purge this dead letter`,
      };
    default: {
      const unknown: never = outcome;
      throw new Error(`unknown reset outcome ${JSON.stringify(unknown)}`);
    }
  }
}

/** The verdict on each sender dead letter's outbox key, from one run of the sender's outbox entry. */
async function senderVerdicts(
  keys: readonly string[],
  options: RedriveOptions,
  outbox: SenderOutbox,
): Promise<Map<string, SenderVerdict>> {
  if (keys.length === 0) return new Map();
  if (options.resetOutbox) {
    const outcomes = await outbox.reset(keys);
    return new Map([...outcomes].map(([key, outcome]) => [key, verdictOfReset(outcome)]));
  }
  const states = await outbox.states(keys);
  return new Map(keys.map((key) => [key, verdictOfState(states.get(key))]));
}

/**
 * Why a letter may not be republished, when its consumer's row says it reads a history that
 * aggregates are loaded from (libs/contracts/src/consumer-entry.ts, `redrive`): the event would be
 * in that history twice.
 */
function replayOnly(topology: Topology, letter: DeadLetter): string | undefined {
  const row = consumerEntries(topology.consumers).find(
    (entry) => entry.deadLetter.consumer === letter.consumer,
  );
  const redrive = row?.deadLetter.redrive;
  if (redrive?.kind === 'none')
    return `it came from ${letter.stream}, a history that aggregates are loaded from, and ${redrive.reason}; purge this dead letter`;
  if (redrive?.kind !== 'replay') return undefined;
  return `it came from ${letter.stream}, a history that aggregates are loaded from, and republishing would record the event there twice; fix what made it fail, rebuild the projection with \`replay ${redrive.projection}\`, then purge this dead letter`;
}

/**
 * Redrives each letter, then removes it from DEADLETTERS (publish first: a crash in between leaves
 * the letter, and redriving it again reuses the same Msg-Id, which the stream drops as a duplicate
 * inside its window and the consumer's inbox drops after it). The sender's rows are looked at (or
 * reset) first, all in one run of its outbox entry; a crash before their letters are removed
 * leaves the letters, and a second redrive finds those rows no longer failed.
 */
export async function redriveLetters(
  nats: Nats,
  letters: readonly DeadLetter[],
  options: RedriveOptions,
  outbox: SenderOutbox,
): Promise<RedriveOutcome[]> {
  // The sender's intake and its exhausted sends (services/sender/src/outcome-events.ts) share one
  // dead-letter name, its row's in the wiring table.
  const sender = nats.topology.consumers.sender.commands.deadLetter.consumer;
  const keyOf = (letter: DeadLetter) => (letter.consumer === sender ? outboxKeyOf(letter.data) : undefined);
  const verdicts = await senderVerdicts(
    letters.flatMap((letter) => keyOf(letter) ?? []),
    options,
    outbox,
  );
  const outcomes: RedriveOutcome[] = [];
  for (const letter of letters) {
    const replayInstead = replayOnly(nats.topology, letter);
    if (replayInstead) {
      outcomes.push({ seq: letter.seq, result: 'refused', reason: replayInstead });
      continue;
    }
    const key = keyOf(letter);
    const verdict = key === undefined ? undefined : verdicts.get(key);
    if (verdict?.kind === 'refused') {
      outcomes.push({ seq: letter.seq, result: 'refused', reason: verdict.reason });
      continue;
    }
    if (key !== undefined && verdict?.kind === 'reset') {
      await removeDeadLetter(nats, letter.seq);
      outcomes.push({ seq: letter.seq, result: 'outbox-reset', key });
      continue;
    }
    const newSeq = await republish(nats, letter);
    await removeDeadLetter(nats, letter.seq);
    outcomes.push({ seq: letter.seq, result: 'republished', newSeq });
  }
  return outcomes;
}

function requireSelection(filter: DeadLetterFilter, all: boolean, verb: string) {
  const selective =
    (filter.seqs?.length ?? 0) > 0 ||
    filter.consumer !== undefined ||
    filter.error !== undefined ||
    filter.olderThanMs !== undefined ||
    filter.newerThanMs !== undefined;
  if (!selective && !all) {
    throw new OpsError(
      `${verb} what? give dead-letter sequences, a filter (--consumer, --error, --older-than, --newer-than) or --all`,
      EXIT.usage,
    );
  }
}

export async function dlqRedrive(
  config: OpsConfig,
  filter: DeadLetterFilter,
  options: RedriveOptions & { all: boolean; json: boolean },
): Promise<number> {
  requireSelection(filter, options.all, 'redrive');
  return withNats(config, async (nats) => {
    const letters = await listDeadLetters(nats, filter, Date.now());
    const outcomes = await redriveLetters(nats, letters, options, senderOutbox(config));
    if (options.json) out(JSON.stringify(outcomes, null, 2));
    else {
      if (outcomes.length === 0) out('no dead letters match');
      for (const o of outcomes) {
        if (o.result === 'republished') out(`#${o.seq} republished to its stream as #${o.newSeq}`);
        else if (o.result === 'outbox-reset') out(`#${o.seq} outbox row reset; the sender sends it again`);
        else note(`#${o.seq} not redriven: ${o.reason}`);
      }
    }
    return outcomes.some((o) => o.result === 'refused') ? EXIT.incomplete : EXIT.ok;
  });
}

export async function dlqPurge(
  config: OpsConfig,
  filter: DeadLetterFilter,
  options: { all: boolean; yes: boolean; json: boolean },
): Promise<number> {
  requireSelection(filter, options.all, 'purge');
  return withNats(config, async (nats) => {
    const letters = await listDeadLetters(nats, filter, Date.now());
    if (!options.yes) {
      for (const l of letters) out(`would remove #${l.seq} (${l.consumer}: ${l.error.slice(0, 80)})`);
      note(`${letters.length} dead letter(s) match; nothing removed: add --yes to remove them`);
      return letters.length === 0 ? EXIT.ok : EXIT.incomplete;
    }
    for (const l of letters) await removeDeadLetter(nats, l.seq);
    if (options.json) out(JSON.stringify({ removed: letters.map((l) => l.seq) }));
    else out(`removed ${letters.length} dead letter(s)`);
    return EXIT.ok;
  });
}
