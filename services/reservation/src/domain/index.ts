export * from './availability.js';
export * from './business.js';
export * from './day.js';
export * from './day-sheet.js';
export * from './move.js';
export * from './opening-slots.js';
export * from './rejection.js';
export * from './reservation-id.js';
