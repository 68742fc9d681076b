import type { DevCertificates } from './dev-certs.js';

/** Where `up --tls` (LOCAL_TLS=1) keeps its development certificates, under the repo root. */
export const LOCAL_CERTS_DIR = '.local/certs';

/**
 * The variables that turn TLS on for a stack started with the development certificates: the
 * services' GRPC_TLS_* and NATS_TLS_CA_FILE (libs/config/src/tls.ts), and NATS_SERVER_TLS_* for
 * the nats process's command (deploy/local/stack.json adds `--tls --tlscert --tlskey` when set).
 * A NATS the stack does not start (NATS_URL given) is used as it is: it gets no CA of ours.
 */
export function devTlsEnv(certs: DevCertificates, opts: { startsNats: boolean }): Record<string, string> {
  return {
    GRPC_TLS_CERT_FILE: certs.certFile,
    GRPC_TLS_KEY_FILE: certs.keyFile,
    GRPC_TLS_CA_FILE: certs.caFile,
    ...(opts.startsNats && {
      NATS_TLS_CA_FILE: certs.caFile,
      NATS_SERVER_TLS_CERT_FILE: certs.certFile,
      NATS_SERVER_TLS_KEY_FILE: certs.keyFile,
    }),
  };
}

/** What the CLIs need of it, for the running-stack record: the CAs to trust. */
export const clientTlsEnv = (env: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(([name]) => name === 'GRPC_TLS_CA_FILE' || name === 'NATS_TLS_CA_FILE'),
  );
