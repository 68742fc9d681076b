import type { ChannelOptions } from '@grpc/grpc-js';

export interface RetryableMethods {
  /** Fully qualified service name, e.g. "reservation.v1.ReservationService". */
  service: string;
  /** Only idempotent calls (reads, or writes with an idempotency key) are retried. */
  methods: string[];
}

/**
 * Channel options whose service config retries the named idempotent methods on UNAVAILABLE with
 * backoff, done by grpc-js itself (https://github.com/grpc/proposal/blob/master/A6-client-retries.md). Deadlines are per call, set by the caller.
 */
export function retryingChannelOptions({ service, methods }: RetryableMethods): ChannelOptions {
  const serviceConfig = {
    methodConfig: [
      {
        name: methods.map((method) => ({ service, method })),
        retryPolicy: {
          maxAttempts: 3,
          initialBackoff: '0.05s',
          maxBackoff: '0.5s',
          backoffMultiplier: 2,
          retryableStatusCodes: ['UNAVAILABLE'],
        },
      },
    ],
  };
  return { 'grpc.service_config': JSON.stringify(serviceConfig), 'grpc.enable_retries': 1 };
}

/** A deadline `ms` from now, for the `deadline` call option. */
export const deadlineIn = (ms: number): Date => new Date(Date.now() + ms);
