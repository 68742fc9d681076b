import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { INTENTS } from '../types.js';
import type { TrainingExample } from './intent-model.js';

/**
 * The labelled corpus the model trains on: services/intent/corpus/<language>.jsonl, shipped with
 * the package (the image keeps everything but src/, test/ and bench/: deploy/docker/Dockerfile).
 * The same path from src/nlu/model (tests) and dist/nlu/model (the service).
 */
export const TRAINING_CORPUS_DIR = new URL('../../../corpus/', import.meta.url);

const lineSchema = z.object({
  text: z.string().min(1),
  language: z.enum(['en', 'ar', 'es', 'fr']),
  intent: z.enum(INTENTS),
});

export function loadTrainingExamples(dir: URL = TRAINING_CORPUS_DIR): TrainingExample[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .flatMap((file) =>
      readFileSync(new URL(file, dir), 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line, index) => {
          const parsed = lineSchema.safeParse(JSON.parse(line));
          if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
          return parsed.data;
        }),
    );
}
