import { timingSafeEqual } from 'node:crypto';
import type { RouteSpec } from '@reserveit/console-api';
import type { FastifyRequest } from 'fastify';
import { API_TOKEN_PREFIX, type ApiTokens } from './api-tokens.js';
import { HttpError, notFound } from './http-errors.js';
import type { Principal } from './principal.js';
import { RestaurantScope, type ScopeDeps } from './restaurant-scope.js';
import type { Sessions } from './sessions.js';
import type { StaffAccounts } from './staff-accounts.js';

export const SESSION_COOKIE = 'ri_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface AccessDeps extends ScopeDeps {
  sessions: Sessions;
  staff: StaffAccounts;
  tokens: ApiTokens;
}

export interface Granted {
  principal?: Principal;
  /** Set for routes of one restaurant (`:businessId`). */
  scope?: RestaurantScope;
}

const unauthenticated = () => new HttpError(401, 'UNAUTHENTICATED', 'Sign in to continue.');

/**
 * Who may do what, decided here for every route of the table and nowhere else: the principal
 * comes from the session cookie or an API token, state-changing requests with a cookie must echo
 * the session's CSRF token, and a restaurant route gets a RestaurantScope only for a restaurant the
 * principal belongs to. Another restaurant's id answers 404, as an id that does not exist does, so
 * ids cannot be probed; a host calling an owner's route at their own restaurant gets 403.
 */
export async function authorize(
  route: RouteSpec,
  request: FastifyRequest,
  deps: AccessDeps,
): Promise<Granted> {
  if (route.access === 'public') return {};
  const principal = await principalOf(request, deps);
  if (!principal) throw unauthenticated();
  if (principal.kind === 'session' && route.method !== 'GET') checkCsrf(request, principal);
  if (route.access === 'session') {
    if (principal.kind !== 'session')
      throw new HttpError(403, 'FORBIDDEN', 'API tokens cannot manage accounts.');
    return { principal };
  }
  const businessId = (request.params as { businessId?: unknown }).businessId;
  const role = typeof businessId === 'string' ? principal.roles.get(businessId) : undefined;
  if (typeof businessId !== 'string' || !role) throw notFound();
  if (route.access === 'owner' && role !== 'owner') {
    throw new HttpError(403, 'FORBIDDEN', "Only the restaurant's owners can do this.");
  }
  if (route.staffOnly && principal.kind !== 'session') {
    throw new HttpError(403, 'FORBIDDEN', 'Staff and API tokens are managed by signed-in owners only.');
  }
  return { principal, scope: new RestaurantScope(businessId, role, principal, deps) };
}

export async function principalOf(request: FastifyRequest, deps: AccessDeps): Promise<Principal | undefined> {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) {
    if (!bearer.startsWith(API_TOKEN_PREFIX)) return undefined;
    const token = await deps.tokens.find(bearer);
    return (
      token && {
        kind: 'token',
        staffId: token.tokenId,
        name: `api:${token.name}`,
        roles: new Map([[token.businessId, token.role]]),
      }
    );
  }
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret) return undefined;
  const session = await deps.sessions.find(secret);
  if (!session) return undefined;
  const account = await deps.staff.withRoles(session.staffId);
  if (!account) return undefined;
  const { identity, roles } = account;
  return {
    kind: 'session',
    staffId: identity.id,
    name: identity.name,
    roles,
    csrfToken: session.csrfToken,
    sessionHash: session.idHash,
    expiresAt: session.expiresAt,
  };
}

function checkCsrf(request: FastifyRequest, principal: Principal): void {
  const sent = request.headers[CSRF_HEADER];
  const expected = Buffer.from(principal.csrfToken ?? '');
  const given = Buffer.from(typeof sent === 'string' ? sent : '');
  if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(403, 'CSRF', 'The page is out of date: reload it and try again.');
  }
}
