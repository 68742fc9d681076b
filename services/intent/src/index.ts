export { type RunningIntent, startIntent } from './server.js';
