import type { ApiError } from '@reserveit/console-api';

/** The server answered with an error status; `body` follows `errorSchema` (or stands in for it). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
    this.name = 'ApiFailure';
  }
}

/** The request may or may not have reached the server: a retry must be safe to repeat. */
export class NetworkFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkFailure';
  }
}

/** The request field an error is about, as a dotted path, for highlighting it in a form. */
export function fieldOf(error: unknown): string | null {
  return error instanceof ApiFailure ? (error.body.field ?? null) : null;
}
