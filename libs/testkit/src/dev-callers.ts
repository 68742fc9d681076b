import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { DEV_RPC_KEYS } from '@reserveit/config';
import { RPC_POLICY, type RpcCaller } from '@reserveit/contracts';
import { audienceOf, type TokenSigner, tokenSigner } from '@reserveit/rpc';

const signers = new Map<RpcCaller, TokenSigner>();
const signerOf = (caller: RpcCaller): TokenSigner => {
  const known = signers.get(caller);
  if (known) return known;
  const made = tokenSigner(caller, DEV_RPC_KEYS[caller].privateKey);
  signers.set(caller, made);
  return made;
};

export interface TestCaller {
  /** Call as staff: the console (for `restaurants`) where it may, else the ops tools. */
  staff?: boolean;
  /** The console's `restaurants` claim, for the methods only the console (or staff) calls. */
  restaurants?: string[];
}

/**
 * For tests that drive a service directly: every call carries the development token of a caller
 * the policy table allows for its method. Unless `staff`, the dialogue's where it may (so
 * `by_staff` counts for nothing, as for a guest), else the ops tools', else the console's.
 */
export function devCallerOptions(as: TestCaller = {}): { interceptors: Interceptor[] } {
  const restaurants = as.restaurants ?? [];
  const callerFor = (path: string): RpcCaller => {
    const allowed = RPC_POLICY[path.slice(1)]?.callers ?? [];
    const order: RpcCaller[] = as.staff ? ['console', 'ops'] : ['conversation', 'ops', 'console'];
    return order.find((caller) => allowed.includes(caller)) ?? 'conversation';
  };
  const interceptor: Interceptor = (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const path = options.method_definition.path;
        const caller = callerFor(path);
        signerOf(caller)(audienceOf(path), caller === 'console' ? { restaurants } : {}).then((token) => {
          metadata.set('authorization', `Bearer ${token}`);
          next(metadata, listener);
        });
      },
    });
  return { interceptors: [interceptor] };
}
