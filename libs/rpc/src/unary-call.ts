import { Client, Metadata, type MethodDefinition, type ServiceError } from '@grpc/grpc-js';
import { deadlineIn } from './client-options.js';

/** The shape of a generated grpc-js unary method, as called with metadata and options. */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** One unary call with a deadline, as a promise: `unaryCall(client, client.getMenu, request, 500)`. */
export function unaryCall<C, Req, Res>(
  client: C,
  method: UnaryMethod<Req, Res>,
  request: Req,
  deadlineMs: number,
  metadata: Metadata = new Metadata(),
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const options = { deadline: deadlineIn(deadlineMs) };
    const callback = (error: ServiceError | null, response?: Res) =>
      error ? reject(error) : resolve(response as Res);
    // Generated methods call the makeUnaryRequest grpc-js captured when it loaded, before
    // OpenTelemetry's grpc instrumentation patched Client.prototype (see grpc-instrumentation.ts):
    // calling the prototype's gives the call its client span and the traceparent in its metadata.
    const definition = method as Partial<MethodDefinition<Req, Res>>;
    if (
      client instanceof Client &&
      definition.path &&
      definition.requestSerialize &&
      definition.responseDeserialize
    ) {
      client.makeUnaryRequest(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        metadata,
        options,
        callback,
      );
      return;
    }
    method.call(client, request, metadata, options, callback);
  });
}

/** The path of a generated client method, e.g. "/reservation.v1.ReservationService/GetBusiness". */
export function methodPath<Req, Res>(method: UnaryMethod<Req, Res>): string {
  const path = (method as Partial<MethodDefinition<Req, Res>>).path;
  if (!path) throw new Error('not a generated gRPC client method');
  return path;
}
