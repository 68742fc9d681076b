export { decide, evolve, newConversation, settle } from './decide.js';
export { inboundCommands } from './inbound.js';
export { causationIdOf, decisionIds } from './recorder.js';
export type * from './types.js';
