import type { RouteName, RouteSpec, routes, Session } from '@reserveit/console-api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccessDeps } from './access.js';
import { SESSION_COOKIE } from './access.js';
import { HttpError } from './http-errors.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Principal } from './principal.js';
import type { RestaurantScope } from './restaurant-scope.js';

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface Input<R extends RouteSpec> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
}

export interface Context {
  request: FastifyRequest;
  reply: FastifyReply;
  principal?: Principal;
  scope?: RestaurantScope;
}

type Output<R extends RouteSpec> = R['response'] extends z.ZodType ? z.input<R['response']> : undefined;

export type Handlers = {
  [K in RouteName]: (
    input: Input<(typeof routes)[K]>,
    context: Context,
  ) => Promise<Output<(typeof routes)[K]>>;
};

export interface HandlerDeps extends AccessDeps {
  throttle: LoginThrottle;
  cookieSecure: boolean;
}

const badLogin = () =>
  new HttpError(401, 'BAD_CREDENTIALS', 'That email and password do not match an account.');

/** Checked by access.ts before a handler runs; a missing one is a wiring bug, not a request error. */
function scoped(context: Context): RestaurantScope {
  if (!context.scope) throw new Error('restaurant route without a scope');
  return context.scope;
}

function signedIn(context: Context): Principal {
  if (!context.principal) throw new Error('session route without a principal');
  return context.principal;
}

/** What each route of the API table does, in terms of the restaurant scope and the account stores. */
export function handlers(deps: HandlerDeps): Handlers {
  async function sessionView(principal: Principal, csrfToken: string, expiresAt: Date): Promise<Session> {
    const identity = await deps.staff.identity(principal.staffId);
    if (!identity) throw badLogin();
    const restaurants = await Promise.all(
      [...principal.roles].map(async ([businessId, role]) => {
        const profile = await deps.directory.profile(businessId);
        return {
          businessId,
          role,
          name: profile?.name ?? businessId,
          timezone: profile?.timezone ?? 'UTC',
          locales: profile?.locales ?? ['en'],
        };
      }),
    );
    return { staff: identity, restaurants, csrfToken, expiresAt: expiresAt.toISOString() };
  }

  return {
    async login({ body }, { request, reply }) {
      const keys = { email: body.email, address: request.ip };
      const waitMs = await deps.throttle.attempt(keys);
      if (waitMs > 0) {
        reply.header('retry-after', Math.ceil(waitMs / 1000));
        throw new HttpError(
          429,
          'TOO_MANY_ATTEMPTS',
          'Too many failed sign-ins: wait a few minutes and try again.',
        );
      }
      const staff = await deps.staff.authenticate(body.email, body.password);
      if (!staff) throw badLogin();
      await deps.throttle.succeed(keys);
      const opened = await deps.sessions.open(staff.id);
      reply.setCookie(SESSION_COOKIE, opened.secret, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.cookieSecure,
        path: '/',
        expires: opened.expiresAt,
      });
      const principal: Principal = {
        kind: 'session',
        staffId: staff.id,
        name: staff.name,
        roles: await deps.staff.roles(staff.id),
      };
      return sessionView(principal, opened.csrfToken, opened.expiresAt);
    },
    async logout(_input, { request, reply }) {
      const secret = request.cookies[SESSION_COOKIE];
      if (secret) await deps.sessions.close(secret);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return undefined;
    },
    async session(_input, context) {
      const principal = signedIn(context);
      return sessionView(principal, principal.csrfToken ?? '', principal.expiresAt ?? new Date());
    },
    async changePassword({ body }, context) {
      const principal = signedIn(context);
      if (!(await deps.staff.changePassword(principal.staffId, body.current, body.next))) {
        throw new HttpError(400, 'BAD_CREDENTIALS', 'The current password is not right.', 'current');
      }
      if (principal.sessionHash) await deps.sessions.closeOthers(principal.staffId, principal.sessionHash);
      return undefined;
    },

    day: ({ query }, c) => scoped(c).daySheet(query.date),
    reservation: ({ params }, c) => scoped(c).reservation(params.reservationId),
    createReservation: ({ body }, c) => scoped(c).createReservation(body),
    changeReservation: ({ params, body }, c) => scoped(c).changeReservation(params.reservationId, body),
    cancelReservation: ({ params, body }, c) =>
      scoped(c).cancelReservation(params.reservationId, body.reason),
    setReservationStatus: ({ params, body }, c) =>
      scoped(c).setReservationStatus(params.reservationId, body.status),

    conversations: ({ query }, c) => scoped(c).conversations(query),
    conversation: ({ params }, c) => scoped(c).conversation(params.conversationId),
    timeline: ({ query }, c) => scoped(c).timeline(query),
    takeOver: ({ params, body }, c) => scoped(c).takeOver(params.conversationId, body.requestId),
    release: ({ params, body }, c) => scoped(c).release(params.conversationId, body.requestId),
    markRead: ({ params }, c) => scoped(c).markRead(params.conversationId),
    reply: ({ params, body }, c) => scoped(c).reply(params.conversationId, body),

    settings: (_input, c) => scoped(c).settings(),
    changeSettings: ({ body }, c) => scoped(c).changeSettings(body),
    setMenuItem: ({ params, body }, c) => scoped(c).setMenuItem(params.itemId, body),
    removeMenuItem: ({ params }, c) => scoped(c).removeMenuItem(params.itemId),

    staff: (_input, c) => scoped(c).staff(),
    addStaff: ({ body }, c) => scoped(c).addStaff(body),
    async removeStaff({ params }, c) {
      await scoped(c).removeStaff(params.staffId);
      return undefined;
    },
    tokens: (_input, c) => scoped(c).tokens(),
    createToken: ({ body }, c) => scoped(c).createToken(body),
    async revokeToken({ params }, c) {
      await scoped(c).revokeToken(params.tokenId);
      return undefined;
    },
  };
}
