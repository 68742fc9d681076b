/// <reference path="./nlpjs.d.ts" />
import { NeuralNetwork, type TrainingPair } from '@nlpjs/neural';
import { INTENTS, type Intent, type Language } from '../types.js';
import { features, type ModelLanguage } from './features.js';

export interface TrainingExample {
  text: string;
  language: ModelLanguage;
  intent: Intent;
}

export interface ModelGuess {
  intent: Intent;
  /** The winner's share of all positive outputs, 0..1; 0 when nothing fired. */
  confidence: number;
  /** How many of the message's features the model saw in training; 0 = it knows nothing here. */
  known: number;
  /** The network that answered: the language whose training words cover most of the message. */
  language: ModelLanguage;
  /** Whether the message negates something ("no need to cancel"): features.ts marked a word. */
  negated: boolean;
}

export interface IntentModel {
  /** `detected`: detectLanguage's answer, which short Latin-script messages often get wrong. */
  classify(normalized: string, detected: Language): ModelGuess;
}

/**
 * NLP.js's defaults (https://github.com/axa-group/nlp.js/blob/master/docs/v4/neural.md) made
 * explicit so a library upgrade cannot change the model silently. Its perceptrons start from zero
 * weights and visit the corpus in order: the same corpus always gives the same model, no seed.
 */
const SETTINGS = {
  iterations: 20_000,
  errorThresh: 0.00005,
  deltaErrorThresh: 0.000001,
  learningRate: 0.6,
  momentum: 0.5,
  alpha: 0.07,
  log: false,
} as const;

/**
 * One small network per language, as NLP.js trains them: each language has its own stemmer and
 * vocabulary. Arabic script goes to the Arabic network; a Latin-script message goes to the network
 * that knows the largest share of its words ("¿podemos llegar más tarde?" has no word the language
 * detector's short lists know, but the Spanish network knows "lleg" and "tard"), the detected
 * language first on a tie.
 */
export function trainIntentModel(
  examples: readonly TrainingExample[],
  normalize: (text: string) => string,
): IntentModel {
  const networks = new Map<ModelLanguage, Trained>();
  for (const language of ['en', 'ar', 'es', 'fr'] as const) {
    const pairs: TrainingPair[] = [];
    const vocabulary = new Set<string>();
    for (const example of examples) {
      if (example.language !== language) continue;
      const input = bag(features(normalize(example.text), language));
      if (Object.keys(input).length === 0) continue;
      for (const feature of Object.keys(input)) vocabulary.add(feature);
      pairs.push({ input, output: { [example.intent]: 1 } });
    }
    if (pairs.length === 0) continue;
    const network = new NeuralNetwork({ ...SETTINGS });
    network.train(pairs);
    networks.set(language, { network, vocabulary });
  }
  return {
    classify(normalized, detected) {
      const candidates: ModelLanguage[] =
        detected === 'ar'
          ? ['ar']
          : detected === 'es' || detected === 'fr'
            ? [detected, 'en', detected === 'es' ? 'fr' : 'es']
            : ['en', 'es', 'fr'];
      let chosen:
        | {
            language: ModelLanguage;
            trained: Trained;
            input: Record<string, number>;
            known: number;
            share: number;
          }
        | undefined;
      for (const language of candidates) {
        const trained = networks.get(language);
        if (!trained) continue;
        const input = bag(features(normalized, language));
        const total = Object.keys(input).length;
        const known = Object.keys(input).filter((feature) => trained.vocabulary.has(feature)).length;
        const share = total === 0 ? 0 : known / total;
        if (!chosen || share > chosen.share) chosen = { language, trained, input, known, share };
      }
      const fallback = candidates[0] ?? 'en';
      if (!chosen || chosen.known === 0)
        return { intent: 'OTHER', confidence: 0, known: 0, language: fallback, negated: false };
      const { known, language } = chosen;
      const outputs = chosen.trained.network.run(chosen.input) ?? {};
      let best: Intent = 'OTHER';
      let top = 0;
      let sum = 0;
      for (const intent of INTENTS) {
        const score = outputs[intent] ?? 0;
        sum += score;
        if (score > top) {
          top = score;
          best = intent;
        }
      }
      const negated = Object.keys(chosen.input).some((feature) => feature.startsWith('!'));
      return { intent: best, confidence: sum > 0 ? top / sum : 0, known, language, negated };
    },
  };
}

interface Trained {
  network: NeuralNetwork;
  vocabulary: Set<string>;
}

function bag(list: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const feature of list) out[feature] = 1;
  return out;
}
