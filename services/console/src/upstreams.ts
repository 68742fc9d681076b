import {
  type ClientTlsMaterial,
  callerInterceptor,
  channelCredentials,
  retryingChannelOptions,
  type TokenSigner,
} from '@reserveit/rpc';
import { ConversationServiceClient } from '@reserveit/rpc/conversation/v1/conversation';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';

export interface Upstreams {
  reservation: ReservationServiceClient;
  conversation: ConversationServiceClient;
  /**
   * Signs the console's tokens. A call made for a session or API token carries its restaurants
   * (RestaurantScope); the clients give the others (the development login, the phone number
   * lookup) a token without them.
   */
  sign: TokenSigner;
  close(): void;
}

/**
 * Clients of reservation.v1 and conversation.v1. The channel retries UNAVAILABLE only for reads and
 * for writes that carry their own idempotency key; the rest answer 503 and the browser retries
 * with the same request id.
 */
export function connectUpstreams(
  reservationAddress: string,
  conversationAddress: string,
  sign: TokenSigner,
  /** GRPC_TLS_CA_FILE's CA (grpcClientTls); plaintext without. */
  tls?: ClientTlsMaterial,
): Upstreams {
  const interceptors = [callerInterceptor(sign)];
  const channel = channelCredentials(tls);
  const reservation = new ReservationServiceClient(reservationAddress, channel, {
    interceptors,
    ...retryingChannelOptions({
      service: 'reservation.v1.ReservationService',
      methods: [
        'GetBusiness',
        'GetBusinessByPhoneNumberId',
        'GetDaySheet',
        'GetReservation',
        'ListReservations',
        'GetMenu',
        'CreateReservation',
      ],
    }),
  });
  const conversation = new ConversationServiceClient(conversationAddress, channel, {
    interceptors,
    ...retryingChannelOptions({
      service: 'conversation.v1.ConversationService',
      methods: ['ListConversations', 'GetConversation', 'Handoff', 'Release', 'Reply', 'MarkRead'],
    }),
  });
  return {
    reservation,
    conversation,
    sign,
    close() {
      reservation.close();
      conversation.close();
    },
  };
}
