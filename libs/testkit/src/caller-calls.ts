import { generateKeyPairSync } from 'node:crypto';
import {
  Client,
  credentials,
  Metadata,
  type ServiceDefinition,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { DEV_RPC_KEYS } from '@reserveit/config';
import { RPC_CALLERS, RPC_POLICY, type RpcAudience, type RpcCaller } from '@reserveit/contracts';
import { type CallerClaims, tokenSigner } from '@reserveit/rpc';

/** One method of a generated service definition, with its default request. */
export interface ServiceMethod {
  path: string;
  callers: readonly RpcCaller[];
  /** Callers the policy table leaves out. */
  refused: RpcCaller[];
  /** The request with every field at its proto default, for overrides. */
  emptyRequest: Record<string, unknown>;
}

/**
 * Every method of a generated `…ServiceService` definition, so a method added to a proto is
 * checked without anyone listing it.
 */
export function methodsOf(definition: ServiceDefinition): ServiceMethod[] {
  return Object.values(definition).map((method) => {
    const callers = RPC_POLICY[method.path.slice(1)]?.callers ?? [];
    return {
      path: method.path,
      callers,
      refused: RPC_CALLERS.filter((caller) => !callers.includes(caller)),
      emptyRequest: method.requestDeserialize(Buffer.alloc(0)) as Record<string, unknown>,
    };
  });
}

/** What a call answered: the status code and, on success, the response. */
export interface CallOutcome {
  code: status;
  response?: unknown;
  details?: string;
}

/** One unary call by path with raw metadata: the token under test, or none. */
export function callWith(
  address: string,
  definition: ServiceDefinition,
  path: string,
  request: unknown,
  authorization: string | undefined,
): Promise<CallOutcome> {
  const method = Object.values(definition).find((candidate) => candidate.path === path);
  if (!method) throw new Error(`no method ${path}`);
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      { deadline: new Date(Date.now() + 10_000) },
      (error: ServiceError | null, response?: unknown) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details } : { code: status.OK, response });
      },
    );
  });
}

const bearer = (token: string) => `Bearer ${token}`;

/** Tokens of every kind a server must tell apart, signed with the development keys. */
export const testTokens = {
  valid: async (caller: RpcCaller, audience: RpcAudience, claims?: CallerClaims) =>
    bearer(await tokenSigner(caller, DEV_RPC_KEYS[caller].privateKey)(audience, claims)),
  /** Right caller and audience, signed by a key nobody trusts. */
  wrongKey: async (caller: RpcCaller, audience: RpcAudience, claims?: CallerClaims) => {
    const seed = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }).d ?? '';
    return bearer(await tokenSigner(caller, seed)(audience, claims));
  },
  /** Signed two minutes ago, so it expired a minute ago. */
  expired: async (caller: RpcCaller, audience: RpcAudience, claims?: CallerClaims) =>
    bearer(
      await tokenSigner(
        caller,
        DEV_RPC_KEYS[caller].privateKey,
        () => Date.now() - 120_000,
      )(audience, claims),
    ),
  /**
   * Every authorization header a server must answer UNAUTHENTICATED for a call to `audience` by an
   * allowed `caller`: none, not a JWT, an untrusted key, expired, addressed to `otherAudience`.
   */
  unauthenticated: async (
    caller: RpcCaller,
    audience: RpcAudience,
    otherAudience: RpcAudience,
    claims?: CallerClaims,
  ): Promise<(string | undefined)[]> => [
    undefined,
    'Bearer not-a-jwt',
    await testTokens.wrongKey(caller, audience, claims),
    await testTokens.expired(caller, audience, claims),
    await testTokens.valid(caller, otherAudience, claims),
  ],
};
