import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type Entities,
  INTENTS,
  type Interpretation,
  type InterpretInput,
  LANGUAGES,
} from '../src/nlu/index.js';

/** One labelled utterance; every corpus file shares the same reference instant and zone. */
const labelSchema = z.object({
  text: z.string(),
  language: z.enum(LANGUAGES),
  intent: z.enum(INTENTS),
  entities: z
    .object({
      date: z.string().optional(),
      time: z.string().optional(),
      partySize: z.number().optional(),
      guestName: z.string().optional(),
      menuCategory: z.string().optional(),
      menuItem: z.string().optional(),
    })
    .strict(),
  expecting: z.enum(['date', 'time', 'party_size', 'name']).optional(),
  answer: z.boolean().optional(),
});
export type Label = z.infer<typeof labelSchema>;

/** Monday 23 November 2026, 19:00 in Dubai: "tomorrow" is 2026-11-24, "friday" 2026-11-27. */
export const CORPUS_NOW = new Date('2026-11-23T15:00:00Z');
export const CORPUS_ZONE = 'Asia/Dubai';

/** What the model trains on (shipped with the service) and what it is judged on (never trained or tuned on). */
export const CORPUS_DIRS = {
  training: join(import.meta.dirname, '..', 'corpus'),
  heldout: join(import.meta.dirname, 'heldout'),
} as const;

/** Every file of one split, or only the one named ("en.jsonl"). */
export function loadCorpus(split: keyof typeof CORPUS_DIRS, only?: string): Label[] {
  const corpusDir = CORPUS_DIRS[split];
  return readdirSync(corpusDir)
    .filter((file) => file.endsWith('.jsonl') && (only === undefined || file === only))
    .sort()
    .flatMap((file) =>
      readFileSync(join(corpusDir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line, index) => {
          const parsed = labelSchema.safeParse(JSON.parse(line));
          if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
          return parsed.data;
        }),
    );
}

export function inputOf(label: Label): InterpretInput {
  return {
    text: label.text,
    localeHint: '',
    conversationId: '',
    timeZone: CORPUS_ZONE,
    now: CORPUS_NOW,
    ...(label.expecting ? { expecting: label.expecting } : {}),
  };
}

const FIELDS = ['date', 'time', 'partySize', 'guestName', 'menuCategory', 'menuItem'] as const;

export interface Report {
  total: number;
  intentAccuracy: number;
  /** Utterances whose every entity field (present or absent) came out as labelled. */
  entityAccuracy: number;
  languageAccuracy: number;
  perIntent: { intent: string; precision: number; recall: number; support: number }[];
  perField: { field: string; correct: number; labelled: number; spurious: number }[];
  failures: { text: string; expected: string; got: string }[];
}

export function evaluate(labels: Label[], interpret: (input: InterpretInput) => Interpretation): Report {
  let intentHits = 0;
  let entityHits = 0;
  let languageHits = 0;
  const truePositives = new Map<string, number>();
  const predicted = new Map<string, number>();
  const actual = new Map<string, number>();
  const fields = FIELDS.map((field) => ({ field, correct: 0, labelled: 0, spurious: 0 }));
  const failures: Report['failures'] = [];
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const label of labels) {
    const result = interpret(inputOf(label));
    bump(actual, label.intent);
    bump(predicted, result.intent);
    const intentOk = result.intent === label.intent;
    if (intentOk) {
      intentHits += 1;
      bump(truePositives, label.intent);
    }
    let entitiesOk = true;
    for (const stat of fields) {
      const want = label.entities[stat.field];
      const got = result.entities[stat.field as keyof Entities];
      if (want !== undefined) {
        stat.labelled += 1;
        if (want === got) stat.correct += 1;
      } else if (got !== undefined) stat.spurious += 1;
      if (want !== got) entitiesOk = false;
    }
    if (entitiesOk) entityHits += 1;
    // A bare number or name has no language of its own; it is not counted.
    const hasLanguage = /\p{L}{2,}/u.test(label.text) && label.entities.guestName === undefined;
    if (!hasLanguage || result.language === label.language) languageHits += 1;
    if (!intentOk || !entitiesOk) {
      failures.push({
        text: label.text,
        expected: `${label.intent} ${JSON.stringify(label.entities)}`,
        got: `${result.intent} ${JSON.stringify(result.entities)}`,
      });
    }
  }
  const perIntent = INTENTS.map((intent) => {
    const tp = truePositives.get(intent) ?? 0;
    return {
      intent,
      precision: tp / Math.max(1, predicted.get(intent) ?? 0),
      recall: tp / Math.max(1, actual.get(intent) ?? 0),
      support: actual.get(intent) ?? 0,
    };
  });
  return {
    total: labels.length,
    intentAccuracy: intentHits / labels.length,
    entityAccuracy: entityHits / labels.length,
    languageAccuracy: languageHits / labels.length,
    perIntent,
    perField: fields,
    failures,
  };
}

export function formatReport(report: Report): string {
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines = [
    `corpus: ${report.total} utterances`,
    `intent accuracy ${pct(report.intentAccuracy)}, entity accuracy ${pct(report.entityAccuracy)}, language accuracy ${pct(report.languageAccuracy)}`,
    'intent        precision  recall  support',
    ...report.perIntent.map(
      (row) =>
        `${row.intent.padEnd(12)}  ${pct(row.precision).padStart(9)}  ${pct(row.recall).padStart(6)}  ${String(row.support).padStart(7)}`,
    ),
    'entity        correct/labelled  spurious',
    ...report.perField.map(
      (row) =>
        `${row.field.padEnd(12)}  ${`${row.correct}/${row.labelled}`.padStart(16)}  ${String(row.spurious).padStart(8)}`,
    ),
    `misses (${report.failures.length}):`,
    ...report.failures.map(
      (failure) => `  "${failure.text}"\n     want ${failure.expected}\n     got  ${failure.got}`,
    ),
  ];
  return lines.join('\n');
}
