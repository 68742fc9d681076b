import { describe, expect, it } from 'vitest';
import { type Interpretation, type InterpretInput, interpretWithRules } from '../src/nlu/index.js';
import { trainIntentModel } from '../src/nlu/model/intent-model.js';
import { loadTrainingExamples } from '../src/nlu/model/training-corpus.js';
import { normalize } from '../src/nlu/normalize.js';
import { INTENTS } from '../src/nlu/types.js';
import { evaluate, formatReport, loadCorpus } from './corpus-evaluation.js';

const LANGUAGES = ['en', 'ar', 'es', 'fr'] as const;

/**
 * Issue 17's targets, per language, on the held-out split (test/heldout/<language>.jsonl): written
 * and committed before the model was trained or the training corpus grown, and never tuned on, so
 * its figures are the honest estimate for unseen messages. The training corpus
 * (services/intent/corpus) is reported beside it and only has to stay sane.
 */
const TARGETS = {
  heldout: { intent: 0.97, entities: 0.95 },
  training: { intent: 0.97, entities: 0.9, language: 0.9 },
};
/**
 * What the held-out split (about 110–130 messages per language) reaches today. A change may raise
 * these, never lower them, except by one message in a language that stays at the target while
 * others gain, or in one kind of figure of a language while its other kind gains (English fell
 * from 125 to 124 of 127 when the second French round moved French and Spanish up;
 * Arabic entities from 111 to 110 of 117 in the round that moved Arabic intent from 111 to 112;
 * French once fell by one when training lines that had been written word for word as held-out
 * messages were taken out).
 * Below the targets in places, so issue 17 stays open until each floor is the target.
 */
const HELD_OUT_FLOORS: Record<(typeof LANGUAGES)[number], { intent: number; entities: number }> = {
  en: { intent: 0.976, entities: 0.96 },
  ar: { intent: 0.974, entities: 0.957 },
  es: { intent: 0.991, entities: 0.974 },
  fr: { intent: 0.972, entities: 0.99 },
};

describe('the local provider (trained model beside the rules) on the labelled corpus', () => {
  const started = performance.now();
  const model = trainIntentModel(loadTrainingExamples(), normalize);
  const trainingMs = performance.now() - started;
  const interpret = (input: InterpretInput): Interpretation => interpretWithRules(input, model);

  // How long training takes is a figure (printed here and by `pnpm corpus:cv`), not an assertion:
  // a loaded CI machine took 7 s for what takes 2 s on a quiet one.
  it('trains from the shipped corpus to the same model every time', () => {
    process.stdout.write(`\nmodel trained in ${trainingMs.toFixed(0)} ms\n`);
    const again = trainIntentModel(loadTrainingExamples(), normalize);
    for (const label of loadCorpus('heldout')) {
      const text = normalize(label.text);
      expect(again.classify(text, label.language)).toEqual(model.classify(text, label.language));
    }
  });

  it('has a training corpus of every intent in all four languages, and a held-out split apart from it', () => {
    const training = loadCorpus('training');
    const heldout = loadCorpus('heldout');
    const seen = new Set(training.map((label) => label.text));
    expect(heldout.filter((label) => seen.has(label.text)).map((label) => label.text)).toEqual([]);
    for (const language of LANGUAGES) {
      for (const intent of INTENTS)
        expect(
          training.filter((label) => label.language === language && label.intent === intent).length,
          `${language} ${intent}`,
        ).toBeGreaterThanOrEqual(3);
      expect(heldout.filter((label) => label.language === language).length).toBeGreaterThanOrEqual(30);
    }
  });

  for (const language of LANGUAGES) {
    const floor = HELD_OUT_FLOORS[language];
    it(`${language}: training figures reported, held-out no lower than ${floor.intent} intent and ${floor.entities} entities (target ${TARGETS.heldout.intent} / ${TARGETS.heldout.entities})`, () => {
      const training = evaluate(loadCorpus('training', `${language}.jsonl`), interpret);
      const heldout = evaluate(loadCorpus('heldout', `${language}.jsonl`), interpret);
      process.stdout.write(
        `\n[${language}] training:\n${formatReport(training)}\n[${language}] held-out:\n${formatReport(heldout)}\n`,
      );
      expect(training.intentAccuracy).toBeGreaterThanOrEqual(TARGETS.training.intent);
      expect(training.entityAccuracy).toBeGreaterThanOrEqual(TARGETS.training.entities);
      expect(training.languageAccuracy).toBeGreaterThanOrEqual(TARGETS.training.language);
      const met = (value: number, target: number) => (value >= target ? 'met' : 'not met');
      process.stdout.write(
        `[${language}] held-out against issue 17's target: intent ${met(heldout.intentAccuracy, TARGETS.heldout.intent)}, entities ${met(heldout.entityAccuracy, TARGETS.heldout.entities)}\n`,
      );
      expect(heldout.intentAccuracy).toBeGreaterThanOrEqual(floor.intent);
      expect(heldout.entityAccuracy).toBeGreaterThanOrEqual(floor.entities);
    });
  }
});
