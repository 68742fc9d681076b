export { decide, evolve, idleTimeoutDue, newConversation, settle } from './decide.js';
export { inboundCommands, understoodNothing } from './inbound.js';
export { causationIdOf, decisionIds } from './recorder.js';
export type * from './types.js';
