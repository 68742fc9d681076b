import type { FreeSlot, Rejection } from './domain/index.js';

/** A refusal on its way to the caller; the gRPC edge maps its code to a status once. */
export class RejectedError extends Error {
  override name = 'RejectedError';
  constructor(
    readonly rejection: Rejection,
    readonly alternatives: FreeSlot[] = [],
  ) {
    super(rejection.message);
  }
}
