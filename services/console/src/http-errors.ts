import { type ServiceError, status } from '@grpc/grpc-js';
import { errorCodeOf } from '@reserveit/rpc';

/** An answer other than 2xx, with the body every client reads (`errorSchema` of @reserveit/console-api). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (what = 'Not found') => new HttpError(404, 'NOT_FOUND', what);

/** Domain refusals of reservation.v1 and conversation.v1 that staff should read as they are. */
const CONFLICTS = new Set([
  'NO_CAPACITY',
  'CLOSED',
  'PARTY_TOO_LARGE',
  'TOO_SOON',
  'BEYOND_HORIZON',
  'TOO_LATE',
  'ALREADY_CANCELLED',
  'INVALID_TRANSITION',
  'NOT_HANDED_OFF',
  'OUTSIDE_WINDOW',
  'TAKEN_BY_OTHER',
  'CONFLICT',
]);

const NOT_HANDED_OFF_MESSAGE =
  'Take over the conversation before replying: the assistant is answering this guest.';
const OUTSIDE_WINDOW_MESSAGE =
  "The guest's last message is more than 24 hours old: WhatsApp allows only an approved template until they write again.";

/**
 * What a failed gRPC call means to the browser: unreachable or slow upstreams are 503 (the console
 * itself stays up and the next request tries again), unknown ids 404, refusals 409 with the
 * service's message.
 */
export function fromUpstream(error: unknown): HttpError {
  const code = errorCodeOf(error);
  const grpcStatus = (error as Partial<ServiceError>).code;
  const details = (error as Partial<ServiceError>).details ?? 'the request was refused';
  if (code === 'NOT_FOUND' || grpcStatus === status.NOT_FOUND) return notFound();
  if (code === 'NOT_HANDED_OFF') return new HttpError(409, code, NOT_HANDED_OFF_MESSAGE);
  if (code === 'OUTSIDE_WINDOW') return new HttpError(409, code, OUTSIDE_WINDOW_MESSAGE);
  if (code && CONFLICTS.has(code)) return new HttpError(409, code, details);
  if (code === 'INVALID_ARGUMENT' || grpcStatus === status.INVALID_ARGUMENT)
    return new HttpError(400, 'INVALID_ARGUMENT', details);
  if (grpcStatus === status.FAILED_PRECONDITION) return new HttpError(409, code ?? 'CONFLICT', details);
  return new HttpError(
    503,
    'UPSTREAM_UNAVAILABLE',
    'A Reserve It service is not answering; try again in a moment.',
  );
}
