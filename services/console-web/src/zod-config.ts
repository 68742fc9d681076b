import { z } from 'zod';

/**
 * The console's Content-Security-Policy forbids eval. Zod decides whether to compile a schema when
 * the schema is built, probing with Function('') (which the browser logs as a CSP violation), so
 * this module is imported before any schema exists.
 */
z.config({ jitless: true });
