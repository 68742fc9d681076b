import { createClient } from './call.js';

/**
 * The app's one API client. The CSRF token comes from the session once it is known; what a 401
 * does is set by the app shell (back to the login page), since the router does not exist yet here.
 */
let csrfToken: string | null = null;
let unauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export const call = createClient({
  fetch: (input, init) => fetch(input, init),
  csrfToken: () => csrfToken,
  onUnauthorized: () => unauthorized(),
});
