import { Metadata, type ServiceError, status } from '@grpc/grpc-js';

/** The metadata key carrying a stable, machine-readable error code alongside the gRPC status. */
export const ERROR_CODE_KEY = 'reserveit-error-code';

/** A gRPC error a caller can act on: the status says the class, the code says exactly what. */
export function domainError(grpcStatus: status, code: string, message: string): Partial<ServiceError> {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, code);
  return { code: grpcStatus, details: message, message, metadata };
}

/** The stable code of a domain error, or undefined for transport errors. */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('metadata' in error)) return undefined;
  const metadata = (error as ServiceError).metadata;
  const value = metadata?.get(ERROR_CODE_KEY)[0];
  return typeof value === 'string' ? value : undefined;
}

export { status as GrpcStatus };
