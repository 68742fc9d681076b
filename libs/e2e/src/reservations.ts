import { readFileSync } from 'node:fs';
import { Metadata } from '@grpc/grpc-js';
import { channelCredentials } from '@reserveit/rpc';
import {
  type ListReservationsRequest,
  type Reservation,
  ReservationServiceClient,
} from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions } from '@reserveit/testkit';

/** The demo restaurant of deploy/local/seed.json. */
export const DEMO_BUSINESS_ID = 'demo-dubai';

/** reservation.v1 over a real gRPC socket, as staff tools and tests read it. */
export class ReservationReader {
  private readonly client: ReservationServiceClient;

  /** `caFile`: the system's `grpcCaFile`, when it runs with TLS. */
  constructor(address: string, caFile?: string) {
    // As the dialogue reads a guest's bookings: the development key, as the stack under test has.
    this.client = new ReservationServiceClient(
      address,
      channelCredentials(caFile === undefined ? undefined : { ca: readFileSync(caFile) }),
      devCallerOptions(),
    );
  }

  /** ListReservations: by guest (with `guestWaId`) or by business and service date (with `date`). */
  list(request: Partial<ListReservationsRequest>, deadlineMs = 5_000): Promise<Reservation[]> {
    const full: ListReservationsRequest = {
      businessId: DEMO_BUSINESS_ID,
      guestWaId: '',
      date: '',
      includeCancelled: false,
      upcomingOnly: false,
      ...request,
    };
    return new Promise((resolve, reject) =>
      this.client.listReservations(
        full,
        new Metadata(),
        { deadline: new Date(Date.now() + deadlineMs) },
        (error, response) => (error ? reject(error) : resolve(response.reservations)),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}
