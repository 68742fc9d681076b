import { credentials, Metadata, makeGenericClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

/** A grpc.health.v1 client; grpc-health-check ships the service definition but no client. */
export function healthClient(address: string) {
  const method = healthService.Check;
  if (!method) throw new Error('grpc-health-check has no Check method definition');
  const Client = makeGenericClientConstructor(healthService, 'Health');
  const client = new Client(address, credentials.createInsecure());
  return {
    check: (service: string, deadlineMs = 2_000) =>
      new Promise<unknown>((resolve, reject) =>
        client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          { service },
          new Metadata(),
          { deadline: new Date(Date.now() + deadlineMs) },
          (error, response) => (error ? reject(error) : resolve(response)),
        ),
      ),
    close: () => client.close(),
  };
}
