import { errorSchema, pathOf, type RouteName, routes } from '@reserveit/console-api';
import type { z } from 'zod';
import { ApiFailure, NetworkFailure } from './errors.js';

type Routes = typeof routes;
type Schema<N extends RouteName, K extends string> = Routes[N] extends { [P in K]: infer S extends z.ZodType }
  ? S
  : never;

type ParamsPart<N extends RouteName> = [Schema<N, 'params'>] extends [never]
  ? { params?: never }
  : { params: z.input<Schema<N, 'params'>> };
type QueryPart<N extends RouteName> = [Schema<N, 'query'>] extends [never]
  ? { query?: never }
  : { query?: z.input<Schema<N, 'query'>> };
type BodyPart<N extends RouteName> = [Schema<N, 'body'>] extends [never]
  ? { body?: never }
  : { body: z.input<Schema<N, 'body'>> };

export type CallInput<N extends RouteName> = ParamsPart<N> & QueryPart<N> & BodyPart<N>;
export type ResponseOf<N extends RouteName> = [Schema<N, 'response'>] extends [never]
  ? undefined
  : z.output<Schema<N, 'response'>>;

export interface ClientOptions {
  fetch: typeof fetch;
  /** The session's CSRF token, sent on every state-changing request. */
  csrfToken: () => string | null;
  /** A 401 on anything but the login: the session is gone. */
  onUnauthorized: () => void;
}

/** A zod failure in what the user typed, as the server would have answered it. */
function invalid(error: z.ZodError): ApiFailure {
  const issue = error.issues[0];
  return new ApiFailure(400, {
    error: 'invalid_request',
    message: issue?.message ?? 'invalid',
    field: issue && issue.path.length > 0 ? issue.path.join('.') : undefined,
  });
}

async function errorBody(response: Response): Promise<z.infer<typeof errorSchema>> {
  const parsed = errorSchema.safeParse(await response.json().catch(() => null));
  if (parsed.success) return parsed.data;
  return { error: `http_${response.status}`, message: response.statusText || `HTTP ${response.status}` };
}

/**
 * The console API's routes by name: checks what is sent with the route's schemas (so a form shows
 * the field at fault before a round trip), sends the CSRF header, parses the answer with the
 * response schema, and turns error statuses into ApiFailure.
 */
export function createClient(options: ClientOptions) {
  return async function call<N extends RouteName>(name: N, input: CallInput<N>): Promise<ResponseOf<N>> {
    const route = routes[name] as (typeof routes)[RouteName];
    const parts = input as { params?: unknown; query?: unknown; body?: unknown };

    let path: string = route.path;
    if ('params' in route) {
      const params = route.params.safeParse(parts.params);
      if (!params.success) throw invalid(params.error);
      path = pathOf(route.path, params.data as Record<string, string>);
    }
    if ('query' in route && parts.query !== undefined) {
      const query = route.query.safeParse(parts.query);
      if (!query.success) throw invalid(query.error);
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query.data)) {
        if (value !== undefined && value !== '') search.set(key, String(value));
      }
      if (search.size > 0) path = `${path}?${search}`;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if ('body' in route) {
      const parsed = route.body.safeParse(parts.body);
      if (!parsed.success) throw invalid(parsed.error);
      body = JSON.stringify(parsed.data);
      headers['content-type'] = 'application/json';
    }
    if (route.method !== 'GET') {
      const token = options.csrfToken();
      if (token) headers['x-csrf-token'] = token;
    }

    let response: Response;
    try {
      response = await options.fetch(path, {
        method: route.method,
        headers,
        body,
        credentials: 'same-origin',
      });
    } catch (err) {
      throw new NetworkFailure(err);
    }
    if (!response.ok) {
      if (response.status === 401 && route.access !== 'public') options.onUnauthorized();
      throw new ApiFailure(response.status, await errorBody(response));
    }
    if (!('response' in route)) return undefined as ResponseOf<N>;
    return route.response.parse(await response.json()) as ResponseOf<N>;
  };
}

export type Call = ReturnType<typeof createClient>;
