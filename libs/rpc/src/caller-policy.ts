import { RPC_POLICY, type RpcCaller } from '@reserveit/contracts';

/** A caller whose token verified: its name and the console's claims. */
export interface VerifiedCaller {
  name: RpcCaller;
  /** The console's: the business ids the session or API token may act for. */
  restaurants: readonly string[] | undefined;
  /** The console's: who acts. */
  staff: string | undefined;
}

export type PolicyDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether a verified caller may make this call (libs/contracts/src/rpc-policy.ts): the method lists
 * it, and a console call names a business of its token's `restaurants` in `business_id` (the
 * services then answer NOT_FOUND for another business's ids, so nothing else needs checking).
 */
export function decideCall(path: string, caller: VerifiedCaller, request: unknown): PolicyDecision {
  const policy = RPC_POLICY[path.replace(/^\//, '')];
  if (!policy) return { allowed: false, reason: 'method not in the policy table' };
  if (!policy.callers.includes(caller.name)) return { allowed: false, reason: 'caller not allowed' };
  if (caller.name !== 'console' || !policy.consoleScoped) return { allowed: true };
  const businessId =
    typeof request === 'object' && request !== null && 'businessId' in request
      ? request.businessId
      : undefined;
  if (typeof businessId !== 'string' || businessId === '')
    return { allowed: false, reason: 'console call without business_id' };
  if (!caller.restaurants?.includes(businessId))
    return { allowed: false, reason: "business_id not in the token's restaurants" };
  return { allowed: true };
}
