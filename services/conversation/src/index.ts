export { type RunningConversation, type StartOptions, startConversation } from './server.js';
