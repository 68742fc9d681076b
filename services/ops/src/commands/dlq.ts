import type { OpsConfig } from '@reserveit/config';
import type { Kysely } from 'kysely';
import { connectToDatabase, type Nats, withNats } from '../connections.js';
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
import { outboxKeyOf, outboxState, resetOutboxRow } from '../sender-outbox.js';

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

/**
 * Redrives each letter, then removes it from DEADLETTERS (publish first: a crash in between leaves
 * the letter, and redriving it again reuses the same Msg-Id, which the stream drops as a duplicate
 * inside its window and the consumer's inbox drops after it).
 */
export async function redriveLetters(
  nats: Nats,
  letters: readonly DeadLetter[],
  options: RedriveOptions,
  database: () => Promise<Kysely<unknown>>,
): Promise<RedriveOutcome[]> {
  const outcomes: RedriveOutcome[] = [];
  // The sender's intake and its exhausted sends (services/sender/src/outcome-events.ts) share one
  // dead-letter name, its row's in the wiring table.
  const sender = nats.topology.consumers.sender.commands.deadLetter.consumer;
  for (const letter of letters) {
    if (letter.consumer === sender) {
      const key = outboxKeyOf(letter.data);
      const state = key === undefined ? undefined : await outboxState(await database(), key);
      if (key !== undefined && state !== undefined) {
        if (state !== 'failed') {
          outcomes.push({
            seq: letter.seq,
            result: 'refused',
            reason: `the sender's outbox row is "${state}", so there is nothing to send again; purge this dead letter`,
          });
          continue;
        }
        if (!options.resetOutbox) {
          outcomes.push({
            seq: letter.seq,
            result: 'refused',
            reason:
              "the sender's outbox row is final (failed), so a republished command would send nothing; add --reset-outbox to reset the row and have the sender send it again",
          });
          continue;
        }
        const reset = await resetOutboxRow(await database(), key);
        if (reset.kind !== 'reset') {
          outcomes.push({
            seq: letter.seq,
            result: 'refused',
            reason: `outbox row changed meanwhile (${reset.kind})`,
          });
          continue;
        }
        await removeDeadLetter(nats, letter.seq);
        outcomes.push({ seq: letter.seq, result: 'outbox-reset', key });
        continue;
      }
      // No outbox row: the intake refused the command itself; a republish goes through it again.
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
  let db: Kysely<unknown> | undefined;
  try {
    return await withNats(config, async (nats) => {
      const letters = await listDeadLetters(nats, filter, Date.now());
      const outcomes = await redriveLetters(nats, letters, options, async () => {
        db ??= await connectToDatabase(config);
        return db;
      });
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
  } finally {
    await db?.destroy();
  }
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
