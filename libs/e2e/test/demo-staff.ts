import { channelCredentials, type UnaryMethod, unaryCall } from '@reserveit/rpc';
import { type BookingRules, ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions } from '@reserveit/testkit';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import type { SystemUnderTest } from './system-under-test.js';

/** The demo restaurant's staff, calling the reservation service as the console does. */
export class DemoStaff {
  readonly client: ReservationServiceClient;

  constructor(sut: SystemUnderTest) {
    this.client = new ReservationServiceClient(
      sut.system.grpc.reservation,
      channelCredentials(undefined),
      devCallerOptions({ staff: true, restaurants: [DEMO_BUSINESS_ID] }),
    );
  }

  call<Req, Res>(method: UnaryMethod<Req, Res>, request: Req): Promise<Res> {
    return unaryCall(this.client, method, request, 10_000);
  }

  /** The demo restaurant's booking rules as they stand, for settings that change a few of them. */
  async rules(): Promise<BookingRules> {
    const { business } = await this.call(this.client.getBusiness, { businessId: DEMO_BUSINESS_ID });
    if (!business?.rules) throw new Error('the demo restaurant has no rules');
    return business.rules;
  }

  close(): void {
    this.client.close();
  }
}
