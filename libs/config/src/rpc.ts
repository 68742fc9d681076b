import { RPC_CALLERS, type RpcCaller } from '@reserveit/contracts';
import { z } from 'zod';
import { parseEnv } from './env.js';

/**
 * Development key pairs of the gRPC callers (Ed25519, base64url: the private key's 32-byte seed and
 * the 32-byte public key). They are public, here so the local stack, the tests and the e2e harness
 * work without configuration; production refuses them (refuseDevRpcKeys).
 */
export const DEV_RPC_KEYS: Readonly<Record<RpcCaller, { privateKey: string; publicKey: string }>> = {
  conversation: {
    privateKey: 'dfxoW6MvJi4O4zm379GtftnG7c8swdnUZcHesekOuZ4',
    publicKey: 'Odv9ME3Y3fT9DCgmJZ08mPuNaRZWsNpe8LBMm4bwKYc',
  },
  console: {
    privateKey: 'n8010b9oPezYdlp3M9_FFX8lropLgITJo8AacrV9nAw',
    publicKey: 'STE7bVD-r7phmsCIn2w3J44TJNWY17FSSoFr9H1439I',
  },
  ops: {
    privateKey: 'PzEWMb56X-9Dk9XeIUofRtuHIPcTKJHy25HFb1bEl1M',
    publicKey: 'eIgvs8eFgD1zlc4xwOAp7Cgbm2a_i-PSDQRnjHfFEVo',
  },
  ingress: {
    privateKey: '-QLsWiYM6LV6elWC45mntnPcNIgkV1zjbo318TOYEDU',
    publicKey: 'W1B6s73sdL80MTTNu0pdtxuKp_KQzKIjHjkYIYtNP2I',
  },
};

const key32 = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte Ed25519 key in base64url (43 characters, no padding)');

const DEV_TRUSTED_KEYS = RPC_CALLERS.map((caller) => `${caller}=${DEV_RPC_KEYS[caller].publicKey}`).join(',');

/**
 * A server's `RPC_TRUSTED_KEYS`: `name=<base64url public key>,…`, the callers whose tokens it
 * accepts. The same name twice is a key rotation: either key verifies.
 */
export const rpcTrustedKeys = z
  .string()
  .default(DEV_TRUSTED_KEYS)
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => {
        const separator = part.indexOf('=');
        return { caller: part.slice(0, separator), publicKey: part.slice(separator + 1) };
      }),
  )
  .pipe(
    z
      .array(z.object({ caller: z.enum(RPC_CALLERS), publicKey: key32 }))
      .min(1, 'needs at least one caller=<base64url public key>'),
  );

export type RpcTrustedKeys = z.infer<typeof rpcTrustedKeys>;

/**
 * `RPC_VERIFY_CALLERS=false` reads a caller's token without checking its signature, audience or
 * age: the policy table still applies to the name it claims. Only for measuring what verification
 * costs (bench:auth); refused outside NODE_ENV=test.
 */
export const rpcVerifyCallers = z
  .enum(['true', 'false'])
  .default('true')
  .transform((value) => value === 'true');

/** A caller's own `RPC_SIGNING_KEY` (its private key's seed, base64url), its development one by default. */
export const rpcSigningKey = (caller: RpcCaller) => key32.default(DEV_RPC_KEYS[caller].privateKey);

const devPublicKeys = new Set(RPC_CALLERS.map((caller) => DEV_RPC_KEYS[caller].publicKey));
const devPrivateKeys = new Set(RPC_CALLERS.map((caller) => DEV_RPC_KEYS[caller].privateKey));

/** Production refuses the development key pairs, as it refuses the other development secrets. */
export function refuseDevRpcKeys(
  env: {
    NODE_ENV: string;
    RPC_SIGNING_KEY?: string;
    RPC_TRUSTED_KEYS?: RpcTrustedKeys;
    RPC_VERIFY_CALLERS?: boolean;
  },
  ctx: z.RefinementCtx,
): void {
  if (env.RPC_VERIFY_CALLERS === false && env.NODE_ENV !== 'test')
    ctx.addIssue({
      code: 'custom',
      path: ['RPC_VERIFY_CALLERS'],
      message: 'unverified callers are only for benchmarks (NODE_ENV=test); remove RPC_VERIFY_CALLERS',
    });
  if (env.NODE_ENV !== 'production') return;
  if (env.RPC_SIGNING_KEY !== undefined && devPrivateKeys.has(env.RPC_SIGNING_KEY))
    ctx.addIssue({
      code: 'custom',
      path: ['RPC_SIGNING_KEY'],
      message: 'set this caller its own key (the development key is refused in production)',
    });
  if (env.RPC_TRUSTED_KEYS?.some((entry) => devPublicKeys.has(entry.publicKey)))
    ctx.addIssue({
      code: 'custom',
      path: ['RPC_TRUSTED_KEYS'],
      message: "set the callers' own public keys (the development keys are refused in production)",
    });
}

/**
 * The admin CLIs' key (reserveit-business, reserveit-console-staff): they call as `ops`, with
 * RPC_SIGNING_KEY from the environment or the development key.
 */
export const loadCliSigningKey = (env: NodeJS.ProcessEnv = process.env): string =>
  parseEnv(z.object({ RPC_SIGNING_KEY: rpcSigningKey('ops') }), {
    RPC_SIGNING_KEY: env.RPC_SIGNING_KEY || undefined,
  }).RPC_SIGNING_KEY;
