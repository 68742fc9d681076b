export { type RunningSender, type SenderOptions, startSender } from './server.js';
