export { localDate } from './calendar.js';
export type { Catalogue } from './catalogue.js';
export { choiceId } from './choices.js';
export { fallbackUnderstanding } from './fallback-understanding.js';
export { catalogueFor, DEFAULT_SETTINGS, initialState, isTransient, next, reference } from './next.js';
export { fit, LIMITS } from './replies.js';
export type * from './types.js';
