import { InterceptingCall, type Interceptor, Metadata } from '@grpc/grpc-js';
import { RPC_AUDIENCES, type RpcAudience, type RpcCaller } from '@reserveit/contracts';
import { SignJWT } from 'jose';
import { ed25519PrivateKey } from './ed25519-keys.js';

/** Lifetime of a token; servers refuse longer ones. */
export const TOKEN_TTL_SECONDS = 60;
/** A token is reused this long at most, so one reaching a server has at least 30 s left. */
const REUSE_MS = 30_000;
/** Distinct (audience, claims) tokens remembered; the console makes one per session and service. */
const MAX_REMEMBERED = 1_000;

/** What the console adds for a call made for a session or an API token. */
export interface CallerClaims {
  /** The business ids the session or token may act for. */
  restaurants?: string[];
  /** Who acts, for the called service's logs. */
  staff?: string;
}

export type TokenSigner = (audience: RpcAudience, claims?: CallerClaims) => Promise<string>;

/**
 * Signs this caller's tokens (EdDSA): `iss` the caller, `aud` the called service, `iat`, `exp` 60 s
 * later, plus the console's claims. A token is reused for 30 s, so a busy caller signs about once
 * per 30 s and service.
 */
export function tokenSigner(
  caller: RpcCaller,
  signingKey: string,
  now: () => number = Date.now,
): TokenSigner {
  const key = ed25519PrivateKey(signingKey);
  const remembered = new Map<string, { token: string; until: number }>();
  return async (audience, claims = {}) => {
    const cacheKey = JSON.stringify([audience, claims.restaurants ?? null, claims.staff ?? null]);
    const at = now();
    const hit = remembered.get(cacheKey);
    if (hit && hit.until > at) return hit.token;
    const iat = Math.floor(at / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setIssuer(caller)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_TTL_SECONDS)
      .sign(key);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(cacheKey, { token, until: at + REUSE_MS });
    return token;
  };
}

/** The service a method path names: "/reservation.v1.ReservationService/GetBusiness" → "reservation". */
export function audienceOf(path: string): RpcAudience {
  const name = path.replace(/^\//, '').split('.')[0];
  const audience = RPC_AUDIENCES.find((candidate) => candidate === name);
  if (!audience) throw new Error(`no gRPC audience for ${path}`);
  return audience;
}

export const AUTHORIZATION_KEY = 'authorization';

/** Metadata carrying a token for one method, with claims (the console's calls for a session). */
export async function callerMetadata(
  sign: TokenSigner,
  path: string,
  claims: CallerClaims,
  metadata: Metadata = new Metadata(),
): Promise<Metadata> {
  metadata.set(AUTHORIZATION_KEY, `Bearer ${await sign(audienceOf(path), claims)}`);
  return metadata;
}

/**
 * A client interceptor that gives every call this caller's token, unless the call already carries
 * one (callerMetadata). Pass it as `{ interceptors: [callerInterceptor(sign)] }` to a client.
 */
export function callerInterceptor(sign: TokenSigner, claims?: CallerClaims): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (metadata.get(AUTHORIZATION_KEY).length > 0) {
          next(metadata, listener);
          return;
        }
        // grpc-js holds the message and half-close until next() runs, so signing may be async.
        sign(audienceOf(options.method_definition.path), claims).then(
          (token) => {
            metadata.set(AUTHORIZATION_KEY, `Bearer ${token}`);
            next(metadata, listener);
          },
          // Without a token the server answers UNAUTHENTICATED, which says what went wrong.
          () => next(metadata, listener),
        );
      },
    });
}

/** Client options whose calls carry this caller's tokens: `new XClient(address, creds, callerOptions(…))`. */
export const callerOptions = (
  caller: RpcCaller,
  signingKey: string,
  claims?: CallerClaims,
): { interceptors: Interceptor[] } => ({
  interceptors: [callerInterceptor(tokenSigner(caller, signingKey), claims)],
});
