import { status } from '@grpc/grpc-js';
import {
  type ClientTlsMaterial,
  callerInterceptor,
  channelCredentials,
  retryingChannelOptions,
  type TokenSigner,
  unaryCall,
} from '@reserveit/rpc';
import { ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import type { FlowAvailability } from './booking-screens.js';

export interface ReservationAvailability extends FlowAvailability {
  close(): void;
}

/**
 * The booking Flow's live availability: GetBusiness and CheckAvailability of reservation.v1, the
 * only methods the policy table grants ingress (libs/contracts/src/rpc-policy.ts). Both are reads,
 * so the channel retries them on UNAVAILABLE.
 */
export function reservationAvailability(
  address: string,
  sign: TokenSigner,
  deadlineMs: number,
  tls?: ClientTlsMaterial,
): ReservationAvailability {
  const client = new ReservationServiceClient(address, channelCredentials(tls), {
    interceptors: [callerInterceptor(sign)],
    ...retryingChannelOptions({
      service: 'reservation.v1.ReservationService',
      methods: ['GetBusiness', 'CheckAvailability'],
    }),
  });
  return {
    async business(businessId) {
      try {
        const { business } = await unaryCall(client, client.getBusiness, { businessId }, deadlineMs);
        const rules = business?.rules;
        if (!business || !rules) return undefined;
        return {
          timezone: business.timezone,
          horizonDays: rules.horizonDays,
          maxPartySize: rules.maxPartySize,
        };
      } catch (error) {
        if ((error as { code?: number }).code === status.NOT_FOUND) return undefined;
        throw error;
      }
    },
    async freeTimes(businessId, date, partySize) {
      const answer = await unaryCall(
        client,
        client.checkAvailability,
        { businessId, date, partySize, windowStart: '', windowEnd: '', preferredTime: '' },
        deadlineMs,
      );
      // A slot past midnight keeps its service date: the booking names the service date and the time.
      return answer.closedReason ? [] : answer.slots.map((slot) => slot.time);
    },
    close: () => client.close(),
  };
}
