/**
 * pnpm corpus:cv — the training corpus judged without the held-out split: k-fold cross-validation
 * (each fold interpreted by a model trained on the other folds, every language's folds together)
 * beside the training-set figures (the model trained on everything, judged on what it saw). What a
 * corpus or rule change is tuned on; test/heldout is only ever read by corpus.test.ts.
 * CV_FOLDS (5) folds, by position in each file; CV_MISSES=1 prints every cross-validation miss.
 */
import { interpretWithRules } from '../src/nlu/index.js';
import { type TrainingExample, trainIntentModel } from '../src/nlu/model/intent-model.js';
import { normalize } from '../src/nlu/normalize.js';
import { evaluate, formatReport, type Label, loadCorpus } from '../test/corpus-evaluation.js';

const FOLDS = Number(process.env.CV_FOLDS ?? 5);
const SHOW_MISSES = process.env.CV_MISSES === '1';
const LANGUAGES = ['en', 'ar', 'es', 'fr'] as const;

const byLanguage = new Map(
  LANGUAGES.map((language) => [language, loadCorpus('training', `${language}.jsonl`)]),
);
const all = LANGUAGES.flatMap((language) => byLanguage.get(language) ?? []);
const asExample = (label: Label): TrainingExample => ({
  text: label.text,
  language: label.language === 'und' ? 'en' : label.language,
  intent: label.intent,
});

const started = performance.now();
const full = trainIntentModel(all.map(asExample), normalize);
const trainingMs = performance.now() - started;
process.stdout.write(`${all.length} utterances, model trained in ${trainingMs.toFixed(0)} ms\n`);

const models = Array.from({ length: FOLDS }, (_, fold) =>
  trainIntentModel(
    LANGUAGES.flatMap((language) =>
      (byLanguage.get(language) ?? []).filter((_, index) => index % FOLDS !== fold).map(asExample),
    ),
    normalize,
  ),
);

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
for (const language of LANGUAGES) {
  const labels = byLanguage.get(language) ?? [];
  const training = evaluate(labels, (input) => interpretWithRules(input, full));
  const misses: string[] = [];
  let intentHits = 0;
  let entityHits = 0;
  for (let fold = 0; fold < FOLDS; fold += 1) {
    const model = models[fold];
    const report = evaluate(
      labels.filter((_, index) => index % FOLDS === fold),
      (input) => interpretWithRules(input, model),
    );
    intentHits += report.intentAccuracy * report.total;
    entityHits += report.entityAccuracy * report.total;
    misses.push(...report.failures.map((f) => `  "${f.text}"\n     want ${f.expected}\n     got  ${f.got}`));
  }
  process.stdout.write(
    `[${language}] ${labels.length} lines — training set: intent ${pct(training.intentAccuracy)}, entities ${pct(training.entityAccuracy)}; ${FOLDS}-fold CV: intent ${pct(intentHits / labels.length)}, entities ${pct(entityHits / labels.length)}\n`,
  );
  if (SHOW_MISSES)
    process.stdout.write(
      `${formatReport(training).split('misses')[0]}CV misses (${misses.length}):\n${misses.join('\n')}\n`,
    );
}
