import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv } from './env.js';

/**
 * TLS from files (issue 16): a Kubernetes Secret or cert-manager Certificate mounted as a volume,
 * or the development certificates libs/localstack makes. Unset is plaintext, the development and
 * test default; production refuses plaintext unless `GRPC_TLS=off` / `NATS_TLS=off` says on
 * purpose that something else encrypts (a service mesh's mTLS), see refusePlaintextInProduction.
 */

/** A PEM file read once at start, with the path kept for error messages and for NATS (below). */
export interface PemFile {
  path: string;
  pem: Buffer;
}

type PemKind = 'certificate' | 'private key';

function readPem(path: string, kind: PemKind): { pem: Buffer } | { problem: string } {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    return {
      problem: `cannot read ${kind} file ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    };
  }
  try {
    if (kind === 'certificate') new X509Certificate(pem);
    else createPrivateKey(pem);
  } catch {
    return { problem: `${path} does not hold a PEM ${kind}` };
  }
  return { pem };
}

/** An optional file variable (empty is unset), read and checked while the environment is parsed. */
const pemFile = (kind: PemKind) =>
  z
    .string()
    .optional()
    .transform((path, ctx): PemFile | undefined => {
      if (!path) return undefined;
      const read = readPem(path, kind);
      if ('problem' in read) {
        ctx.addIssue({ code: 'custom', message: read.problem });
        return z.NEVER;
      }
      return { path, pem: read.pem };
    });

/** `off` acknowledges plaintext in production; `on` demands the files anywhere; unset follows the files. */
const tlsSwitch = z.enum(['on', 'off']).optional();

/** A gRPC server's certificate chain and key (reservation, intent, conversation). */
export const grpcServerTlsEnv = {
  GRPC_TLS: tlsSwitch,
  /** PEM certificate chain the gRPC server presents (server first, then intermediates). */
  GRPC_TLS_CERT_FILE: pemFile('certificate'),
  /** PEM private key of GRPC_TLS_CERT_FILE. */
  GRPC_TLS_KEY_FILE: pemFile('private key'),
};

/** A gRPC client's trust: the CA that signed the servers' certificates. */
export const grpcClientTlsEnv = {
  GRPC_TLS: tlsSwitch,
  /** PEM CA certificate(s) the gRPC servers' certificates must chain to. */
  GRPC_TLS_CA_FILE: pemFile('certificate'),
};

/** Every NATS client's trust and, when the server asks for one, its client certificate. */
export const natsTlsEnv = {
  NATS_TLS: tlsSwitch,
  /** PEM CA certificate(s) the NATS servers' certificates must chain to. */
  NATS_TLS_CA_FILE: pemFile('certificate'),
  /** PEM client certificate, only where nats-server verifies clients (`verify: true`). */
  NATS_TLS_CERT_FILE: pemFile('certificate'),
  /** PEM private key of NATS_TLS_CERT_FILE. */
  NATS_TLS_KEY_FILE: pemFile('private key'),
};

interface TlsEnv {
  NODE_ENV?: string;
  GRPC_TLS?: 'on' | 'off' | undefined;
  GRPC_TLS_CERT_FILE?: PemFile | undefined;
  GRPC_TLS_KEY_FILE?: PemFile | undefined;
  GRPC_TLS_CA_FILE?: PemFile | undefined;
  NATS_TLS?: 'on' | 'off' | undefined;
  NATS_TLS_CA_FILE?: PemFile | undefined;
  NATS_TLS_CERT_FILE?: PemFile | undefined;
  NATS_TLS_KEY_FILE?: PemFile | undefined;
}

type Issue = (path: keyof TlsEnv, message: string) => void;

function checkPair(
  cert: PemFile | undefined,
  key: PemFile | undefined,
  names: [keyof TlsEnv, keyof TlsEnv],
  issue: Issue,
) {
  const [certName, keyName] = names;
  if (!cert && !key) return;
  if (!cert || !key) {
    issue(cert ? keyName : certName, `set together with ${cert ? certName : keyName}`);
    return;
  }
  if (!new X509Certificate(cert.pem).checkPrivateKey(createPrivateKey(key.pem)))
    issue(keyName, `is not the private key of ${certName}`);
}

/** Which of the three groups above a schema spread in. */
export interface TlsRoles {
  grpcServer?: boolean;
  grpcClient?: boolean;
  nats?: boolean;
}

/**
 * Checks the TLS variables of `roles`: a certificate comes with its key, `off` with no files, `on`
 * with them, and production with TLS unless switched off on purpose. Call from the service
 * schema's superRefine.
 */
export function checkTls(env: TlsEnv, ctx: z.RefinementCtx, roles: TlsRoles): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path: [path], message });
  const production = env.NODE_ENV === 'production';
  const { grpcServer: isServer = false, grpcClient: isClient = false, nats: hasNats = false } = roles;

  if (isServer)
    checkPair(
      env.GRPC_TLS_CERT_FILE,
      env.GRPC_TLS_KEY_FILE,
      ['GRPC_TLS_CERT_FILE', 'GRPC_TLS_KEY_FILE'],
      issue,
    );
  const grpcFiles = [
    ...(isServer ? (['GRPC_TLS_CERT_FILE'] as const) : []),
    ...(isClient ? (['GRPC_TLS_CA_FILE'] as const) : []),
  ];
  for (const name of grpcFiles) {
    if (env.GRPC_TLS === 'off' && env[name]) issue(name, 'contradicts GRPC_TLS=off: remove one of them');
    if (!env[name] && (env.GRPC_TLS === 'on' || (production && env.GRPC_TLS !== 'off')))
      issue(
        name,
        env.GRPC_TLS === 'on'
          ? 'GRPC_TLS=on needs it'
          : 'production needs gRPC TLS: set it, or GRPC_TLS=off where a service mesh encrypts instead',
      );
  }
  if (!hasNats) return;
  checkPair(
    env.NATS_TLS_CERT_FILE,
    env.NATS_TLS_KEY_FILE,
    ['NATS_TLS_CERT_FILE', 'NATS_TLS_KEY_FILE'],
    issue,
  );
  // nats.js takes a client certificate only on a TLS connection, which the CA turns on (natsTls).
  if (env.NATS_TLS_CERT_FILE && !env.NATS_TLS_CA_FILE)
    issue('NATS_TLS_CA_FILE', 'set it too: a client certificate is sent only over TLS');
  if (env.NATS_TLS === 'off' && env.NATS_TLS_CA_FILE)
    issue('NATS_TLS_CA_FILE', 'contradicts NATS_TLS=off: remove one of them');
  if (!env.NATS_TLS_CA_FILE && (env.NATS_TLS === 'on' || (production && env.NATS_TLS !== 'off')))
    issue(
      'NATS_TLS_CA_FILE',
      env.NATS_TLS === 'on'
        ? 'NATS_TLS=on needs it'
        : 'production needs NATS TLS: set it, or NATS_TLS=off where a service mesh encrypts instead',
    );
}

/** What connectNats passes to nats.js: file paths, which it reads on every (re)connect, so a renewed certificate is picked up. */
export interface NatsTls {
  caFile: string;
  certFile?: string;
  keyFile?: string;
}

export const natsTls = (env: {
  NATS_TLS_CA_FILE?: PemFile | undefined;
  NATS_TLS_CERT_FILE?: PemFile | undefined;
  NATS_TLS_KEY_FILE?: PemFile | undefined;
}): NatsTls | undefined =>
  env.NATS_TLS_CA_FILE && {
    caFile: env.NATS_TLS_CA_FILE.path,
    ...(env.NATS_TLS_CERT_FILE && { certFile: env.NATS_TLS_CERT_FILE.path }),
    ...(env.NATS_TLS_KEY_FILE && { keyFile: env.NATS_TLS_KEY_FILE.path }),
  };

/** A gRPC server's key material, for serverCredentials in libs/rpc; undefined is plaintext. */
export interface GrpcServerTls {
  cert: Buffer;
  key: Buffer;
}

export const grpcServerTls = (env: {
  GRPC_TLS_CERT_FILE?: PemFile | undefined;
  GRPC_TLS_KEY_FILE?: PemFile | undefined;
}): GrpcServerTls | undefined =>
  env.GRPC_TLS_CERT_FILE && env.GRPC_TLS_KEY_FILE
    ? { cert: env.GRPC_TLS_CERT_FILE.pem, key: env.GRPC_TLS_KEY_FILE.pem }
    : undefined;

/** A gRPC client's trust, for channelCredentials in libs/rpc; undefined is plaintext. */
export interface GrpcClientTls {
  ca: Buffer;
}

export const grpcClientTls = (env: { GRPC_TLS_CA_FILE?: PemFile | undefined }): GrpcClientTls | undefined =>
  env.GRPC_TLS_CA_FILE && { ca: env.GRPC_TLS_CA_FILE.pem };

/**
 * The admin CLIs' trust (reserveit-business, reserveit-console-staff): GRPC_TLS_CA_FILE from the
 * environment (or the running local stack's record, which the caller merged in); unset is plaintext.
 */
export const loadCliGrpcTls = (env: NodeJS.ProcessEnv = process.env): GrpcClientTls | undefined =>
  grpcClientTls(
    parseEnv(
      z.object(grpcClientTlsEnv).superRefine((cli, ctx) => checkTls(cli, ctx, { grpcClient: true })),
      env,
    ),
  );
