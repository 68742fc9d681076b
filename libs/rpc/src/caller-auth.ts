import {
  type handleUnaryCall,
  type Metadata,
  type ServerUnaryCall,
  type ServiceDefinition,
  status,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { RPC_CALLERS, type RpcAudience, type RpcCaller } from '@reserveit/contracts';
import { decodeJwt, errors, jwtVerify, type KeyObject } from 'jose';
import { z } from 'zod';
import { decideCall, type VerifiedCaller } from './caller-policy.js';
import { AUTHORIZATION_KEY, TOKEN_TTL_SECONDS } from './caller-token.js';
import { ed25519PublicKey } from './ed25519-keys.js';

/** What a server checks callers with. */
export interface CallerAuth {
  /** This service, as callers name it in `aud`. */
  audience: RpcAudience;
  /** RPC_TRUSTED_KEYS: the public key(s) of each caller it accepts. */
  trustedKeys: readonly { caller: RpcCaller; publicKey: string }[];
  /**
   * False reads the token's claims without checking signature, audience or age (RPC_VERIFY_CALLERS,
   * benchmarks only): what is left is the policy table.
   */
  verifySignatures?: boolean;
  /** Where refusals are logged (never with the token). */
  logger: { warn(details: object, message: string): void };
  /** Counts refusals by method and code (UNAUTHENTICATED, PERMISSION_DENIED). */
  refused: { inc(labels: { method: string; code: string }): void };
  now?: () => number;
}

const claimsSchema = z.object({
  iss: z.enum(RPC_CALLERS),
  iat: z.number(),
  exp: z.number(),
  restaurants: z.array(z.string().max(200)).max(10_000).optional(),
  staff: z.string().max(200).optional(),
});

type Verified = { caller: VerifiedCaller } | { reason: string };

/** Clock difference between hosts that a token's iat and exp may show. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Distinct verified tokens remembered: callers reuse a token for 30 s (caller-token.ts). */
const MAX_REMEMBERED = 10_000;

function fromClaims(payload: unknown): Verified {
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return { reason: 'claims not of the expected form' };
  if (claims.data.exp - claims.data.iat > TOKEN_TTL_SECONDS) return { reason: 'token lives too long' };
  return {
    caller: { name: claims.data.iss, restaurants: claims.data.restaurants, staff: claims.data.staff },
  };
}

function tokenVerifier(auth: CallerAuth) {
  const keys = new Map<RpcCaller, KeyObject[]>();
  for (const { caller, publicKey } of auth.trustedKeys)
    keys.set(caller, [...(keys.get(caller) ?? []), ed25519PublicKey(publicKey)]);
  const now = auth.now ?? Date.now;
  // A caller sends the same token for 30 s, so each is verified once and then looked up until it
  // expires: an Ed25519 verification per call halved bench:reservation's bookings per second.
  const verified = new Map<string, { caller: VerifiedCaller; until: number }>();
  const remember = (token: string, result: Verified, exp: number, iat: number): Verified => {
    if ('caller' in result) {
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      const until = (Math.min(exp, iat + TOKEN_TTL_SECONDS) + CLOCK_TOLERANCE_SECONDS) * 1000;
      verified.set(token, { caller: result.caller, until });
    }
    return result;
  };
  return async (metadata: Metadata): Promise<Verified> => {
    const header = metadata.get(AUTHORIZATION_KEY);
    const value = header.length === 1 && typeof header[0] === 'string' ? header[0] : undefined;
    const token = value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
    if (!token) return { reason: 'no bearer token' };
    const known = verified.get(token);
    if (known) {
      if (known.until > now()) return { caller: known.caller };
      verified.delete(token);
    }
    let decoded: ReturnType<typeof decodeJwt>;
    try {
      decoded = decodeJwt(token);
    } catch {
      return { reason: 'malformed token' };
    }
    const issuer = decoded.iss;
    if (auth.verifySignatures === false) return fromClaims(decoded);
    const candidates = keys.get(issuer as RpcCaller) ?? [];
    if (candidates.length === 0) return { reason: 'issuer not trusted' };
    let reason = 'bad signature';
    for (const key of candidates) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['EdDSA'],
          audience: auth.audience,
          issuer: issuer as string,
          requiredClaims: ['iat', 'exp'],
          maxTokenAge: TOKEN_TTL_SECONDS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        });
        return remember(token, fromClaims(payload), payload.exp ?? 0, payload.iat ?? 0);
      } catch (error) {
        // Another key of the same caller may verify it (a rotation); anything else is final.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) {
          return { reason: error instanceof errors.JOSEError ? error.code : 'token refused' };
        }
        reason = 'bad signature';
      }
    }
    return { reason };
  };
}

const callers = new WeakMap<object, VerifiedCaller>();

/** The verified caller of a call a guarded handler is answering. */
export function callerOf(call: object): VerifiedCaller | undefined {
  return callers.get(call);
}

/**
 * Wraps every method of a service: the token must verify (else UNAUTHENTICATED) and the policy
 * table allow the call (else PERMISSION_DENIED) before the handler sees it. Only unary methods
 * exist; a streaming one makes the server refuse to start rather than run unguarded.
 */
export function guardService(
  definition: ServiceDefinition,
  implementation: UntypedServiceImplementation,
  auth: CallerAuth,
): UntypedServiceImplementation {
  const verify = tokenVerifier(auth);
  const guarded: UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    if (method.requestStream || method.responseStream)
      throw new Error(`${method.path}: only unary methods can be guarded`);
    const handler = implementation[name] as handleUnaryCall<unknown, unknown> | undefined;
    if (!handler) continue;
    const refuse = (
      call: ServerUnaryCall<unknown, unknown>,
      code: status.UNAUTHENTICATED | status.PERMISSION_DENIED,
      reason: string,
      caller?: RpcCaller,
    ) => {
      auth.refused.inc({ method: method.path, code: status[code] });
      auth.logger.warn({ method: method.path, caller, reason, peer: call.getPeer() }, 'gRPC call refused');
      const message = code === status.UNAUTHENTICATED ? 'A valid caller token is required.' : 'Not allowed.';
      return { code, details: message, message };
    };
    guarded[name] = ((call, callback) => {
      verify(call.metadata).then(
        (verified) => {
          if ('reason' in verified) {
            callback(refuse(call, status.UNAUTHENTICATED, verified.reason));
            return;
          }
          const decision = decideCall(method.path, verified.caller, call.request);
          if (!decision.allowed) {
            callback(refuse(call, status.PERMISSION_DENIED, decision.reason, verified.caller.name));
            return;
          }
          callers.set(call, verified.caller);
          handler(call, callback);
        },
        (error: unknown) => {
          auth.logger.warn({ method: method.path, err: error }, 'gRPC caller check failed');
          callback({ code: status.INTERNAL, details: 'caller check failed' });
        },
      );
    }) satisfies handleUnaryCall<unknown, unknown>;
  }
  return guarded;
}
