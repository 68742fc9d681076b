import { Server, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { type CallerAuth, guardService } from './caller-auth.js';
import { type ServerTlsMaterial, serverCredentials } from './tls-credentials.js';

export interface GrpcService {
  /** The generated `…ServiceService` definition. */
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
  /** Fully qualified name reported by grpc.health.v1, e.g. "reservation.v1.ReservationService". */
  name: string;
}

export interface RunningGrpcServer {
  port: number;
  /** host:port as bound (`0.0.0.0:50051` on all interfaces), for the startup log. */
  address: string;
  /** Marks every service (and the whole server, "") serving or not, for grpc.health.v1 probes. */
  setServing(serving: boolean): void;
  /** Stops taking calls, lets in-flight ones finish until the deadline, then cuts them. */
  stop(deadlineMs: number): Promise<void>;
}

/**
 * Binds a gRPC server with grpc.health.v1 on host:port (0 picks a free port). Every method of the
 * services checks its caller's token and the policy table first (caller-auth.ts); health stays open.
 * With `tls` (GRPC_TLS_CERT_FILE/GRPC_TLS_KEY_FILE) it takes TLS only, health included.
 */
export async function startGrpcServer(
  host: string,
  port: number,
  services: GrpcService[],
  auth: CallerAuth,
  tls?: ServerTlsMaterial,
): Promise<RunningGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 });
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  for (const service of services)
    server.addService(service.definition, guardService(service.definition, service.implementation, auth));
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, serverCredentials(tls), (error, actual) =>
      error ? reject(error) : resolve(actual),
    ),
  );
  const setServing = (serving: boolean) => {
    for (const name of ['', ...services.map((service) => service.name)])
      health.setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
  };
  setServing(true);
  return {
    port: bound,
    address: host.includes(':') ? `[${host}]:${bound}` : `${host}:${bound}`,
    setServing,
    stop: (deadlineMs) =>
      new Promise<void>((resolve) => {
        setServing(false);
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, deadlineMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
