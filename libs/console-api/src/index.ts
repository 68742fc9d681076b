export * from './models.js';
export * from './paths.js';
export * from './routes.js';
