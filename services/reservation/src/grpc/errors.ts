import type { ServiceError } from '@grpc/grpc-js';
import { domainError, GrpcStatus } from '@reserveit/rpc';
import { ZodError } from 'zod';
import type { RejectionCode } from '../domain/index.js';
import { RejectedError } from '../rejected-error.js';
import { ConflictsExhausted } from '../store/aggregates.js';
import { ReadTimeout } from '../store/event-store.js';
import { slotToProto } from './mapping.js';

/** Metadata key of NO_CAPACITY / CLOSED refusals: JSON array of the nearest free slots. */
export const ALTERNATIVES_KEY = 'reserveit-alternatives';

const STATUS: Record<RejectionCode, GrpcStatus> = {
  NO_CAPACITY: GrpcStatus.RESOURCE_EXHAUSTED,
  CLOSED: GrpcStatus.FAILED_PRECONDITION,
  PARTY_TOO_LARGE: GrpcStatus.OUT_OF_RANGE,
  TOO_SOON: GrpcStatus.FAILED_PRECONDITION,
  BEYOND_HORIZON: GrpcStatus.OUT_OF_RANGE,
  TOO_LATE: GrpcStatus.FAILED_PRECONDITION,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  ALREADY_CANCELLED: GrpcStatus.FAILED_PRECONDITION,
  INVALID_TRANSITION: GrpcStatus.FAILED_PRECONDITION,
  BUSINESS_EXISTS: GrpcStatus.ALREADY_EXISTS,
  PHONE_NUMBER_TAKEN: GrpcStatus.ALREADY_EXISTS,
  MOVED: GrpcStatus.ABORTED,
  WAITLIST_CLOSED: GrpcStatus.FAILED_PRECONDITION,
  NOT_FULL: GrpcStatus.FAILED_PRECONDITION,
  OFFER_EXPIRED: GrpcStatus.FAILED_PRECONDITION,
  ALREADY_RATED: GrpcStatus.FAILED_PRECONDITION,
};

export interface MappedError {
  error: Partial<ServiceError>;
  /** The stable code for metrics and logs; INTERNAL for the unexpected. */
  code: string;
  unexpected: boolean;
}

/** Every error leaves through here once: the status says the class, the code says exactly what. */
export function toGrpcError(error: unknown): MappedError {
  if (error instanceof RejectedError) {
    const mapped = domainError(STATUS[error.rejection.code], error.rejection.code, error.rejection.message);
    if (error.alternatives.length > 0)
      mapped.metadata?.set(ALTERNATIVES_KEY, JSON.stringify(error.alternatives.map(slotToProto)));
    return { error: mapped, code: error.rejection.code, unexpected: false };
  }
  if (error instanceof ZodError) {
    const detail = error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`);
    return {
      error: domainError(GrpcStatus.INVALID_ARGUMENT, 'INVALID_ARGUMENT', detail.join('; ')),
      code: 'INVALID_ARGUMENT',
      unexpected: false,
    };
  }
  if (error instanceof ConflictsExhausted) {
    return {
      error: domainError(
        GrpcStatus.ABORTED,
        'CONFLICT',
        'Too many concurrent changes to this day; try again.',
      ),
      code: 'CONFLICT',
      unexpected: false,
    };
  }
  if (error instanceof ReadTimeout) {
    // Nothing was decided or appended: the same call may be retried.
    return {
      error: domainError(
        GrpcStatus.DEADLINE_EXCEEDED,
        'DEADLINE_EXCEEDED',
        'Loading the reservations of that day took too long; try again.',
      ),
      code: 'DEADLINE_EXCEEDED',
      unexpected: false,
    };
  }
  return {
    error: domainError(GrpcStatus.INTERNAL, 'INTERNAL', 'Internal error.'),
    code: 'INTERNAL',
    unexpected: true,
  };
}
