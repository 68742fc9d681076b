import { type ChannelCredentials, credentials, ServerCredentials } from '@grpc/grpc-js';

/**
 * The one place gRPC credentials are made (issue 16). The key material comes from libs/config
 * (grpcServerTls / grpcClientTls: GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE, GRPC_TLS_CA_FILE, read and
 * checked at start); none is plaintext, the development and test default. Callers are still told
 * apart by their Ed25519 tokens (caller-token.ts): TLS here gives confidentiality and proves the
 * server, it does not ask for client certificates.
 */
export interface ServerTlsMaterial {
  cert: Buffer;
  key: Buffer;
}

export interface ClientTlsMaterial {
  ca: Buffer;
}

export const serverCredentials = (tls: ServerTlsMaterial | undefined): ServerCredentials =>
  tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false)
    : ServerCredentials.createInsecure();

/** The servers' names are checked against their certificates as usual (the host of the address). */
export const channelCredentials = (tls: ClientTlsMaterial | undefined): ChannelCredentials =>
  tls ? credentials.createSsl(tls.ca) : credentials.createInsecure();
