export {
  type ProjectionDescription,
  projectionDescriptionSchema,
  type ReplayDone,
  type ReplayLine,
  type ReplayProgress,
  replayLineSchema,
} from './protocol.js';
export { type ReplayEntrySpec, runReplayEntry } from './replay-entry.js';
export { redirectSchema } from './schema-redirect.js';
export { readStream, type StreamRange } from './stream-range.js';
export { writersOf } from './writers.js';
