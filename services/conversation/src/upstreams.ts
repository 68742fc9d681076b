import { type ServiceError, status } from '@grpc/grpc-js';
import {
  type ClientTlsMaterial,
  callerInterceptor,
  channelCredentials,
  errorCodeOf,
  retryingChannelOptions,
  type TokenSigner,
} from '@reserveit/rpc';
import { IntentServiceClient } from '@reserveit/rpc/intent/v1/intent';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';

/** The stable code of a failed call: the service's domain code, else the gRPC status name. */
export function failureCode(error: unknown): string {
  const domain = errorCodeOf(error);
  if (domain) return domain;
  const code = (error as Partial<ServiceError> | undefined)?.code;
  return typeof code === 'number' ? (status[code] ?? 'UNKNOWN') : 'UNKNOWN';
}

export interface Upstreams {
  intent: IntentServiceClient;
  reservation: ReservationServiceClient;
  close(): void;
}

/**
 * Clients of intent.v1 and reservation.v1. grpc-js retries UNAVAILABLE for the idempotent methods
 * only: reads, Interpret, and CreateReservation (it carries an idempotency key). Modify and Cancel
 * are not retried by the channel; the message's own redelivery covers them.
 */
export function connectUpstreams(
  intentAddress: string,
  reservationAddress: string,
  sign: TokenSigner,
  /** GRPC_TLS_CA_FILE's CA (grpcClientTls); plaintext without. */
  tls?: ClientTlsMaterial,
): Upstreams {
  const interceptors = [callerInterceptor(sign)];
  const channel = channelCredentials(tls);
  const intent = new IntentServiceClient(intentAddress, channel, {
    ...retryingChannelOptions({ service: 'intent.v1.IntentService', methods: ['Interpret'] }),
    interceptors,
  });
  const reservation = new ReservationServiceClient(reservationAddress, channel, {
    interceptors,
    ...retryingChannelOptions({
      service: 'reservation.v1.ReservationService',
      methods: [
        'GetBusinessByPhoneNumberId',
        'GetBusiness',
        'CheckAvailability',
        'CreateReservation',
        'ListReservations',
        'GetMenu',
      ],
    }),
  });
  return {
    intent,
    reservation,
    close() {
      intent.close();
      reservation.close();
    },
  };
}
