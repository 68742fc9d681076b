import { Metadata, type ServiceError } from '@grpc/grpc-js';
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
  return new Promise((resolve, reject) =>
    method.call(client, request, metadata, { deadline: deadlineIn(deadlineMs) }, (error, response) =>
      error ? reject(error) : resolve(response),
    ),
  );
}
