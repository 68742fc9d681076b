import { Agent } from 'undici';
import { z } from 'zod';
import type { GraphOutcome } from '../domain/classify.js';
import type { GraphBody } from '../domain/graph-request.js';

/** `{"messaging_product":"whatsapp","contacts":[…],"messages":[{"id":"wamid…"}]}`, or `{"success":true}` for read. */
const sentSchema = z.looseObject({
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});

/** Meta's error body (docs/whatsapp.md, Errors); `is_transient` comes from the OpenAPI spec. */
const errorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().int(),
    message: z.string().default(''),
    is_transient: z.boolean().optional(),
    error_data: z.looseObject({ details: z.string().optional() }).optional(),
  }),
});

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  timeoutMs: number;
  /** Keep-alive connections to the Graph API. */
  connections: number;
}

export interface GraphClient {
  send(phoneNumberId: string, body: GraphBody): Promise<GraphOutcome>;
  close(): Promise<void>;
}

/**
 * Errors raised before any byte of the request could reach Meta: resending cannot duplicate.
 * Anything else (reset, headers or body timeout) may have happened after Meta processed the call.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The codes of an error and of its causes, outermost first (undici wraps socket errors). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** POST /<version>/<phone_number_id>/messages over a keep-alive pool; never throws for a failed send. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const agent = new Agent({
    connections: options.connections,
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  // Origin and path apart, parsed once: undici's request(url) parsed the whole URL again per send.
  const base = new URL(options.baseUrl);
  const prefix = `${base.pathname.replace(/\/+$/, '')}/${options.version}`;
  const headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
  return {
    async send(phoneNumberId, body) {
      let status: number;
      let text: string;
      try {
        const response = await agent.request({
          origin: base.origin,
          path: `${prefix}/${encodeURIComponent(phoneNumberId)}/messages`,
          method: 'POST',
          headers,
          body: JSON.stringify(body),
        });
        status = response.statusCode;
        text = await response.body.text();
      } catch (error) {
        const codes = errorCodes(error);
        const name = codes.join('/') || (error instanceof Error ? error.name : 'unknown');
        return {
          type: 'network_error',
          reachedMeta: !codes.some((code) => NOT_SENT_CODES.has(code)),
          reason: `network error ${name}`,
        };
      }
      const json = parseJson(text);
      if (status >= 200 && status < 300) {
        // Mark-as-read answers `{"success":true}`. Any 2xx means Meta took the request, even when we
        // cannot read a wamid from it: sending again would duplicate.
        const sent = sentSchema.safeParse(json);
        return { type: 'accepted', wamid: sent.success ? sent.data.messages[0]?.id : undefined };
      }
      const failure = errorSchema.safeParse(json);
      if (failure.success) {
        const e = failure.data.error;
        return {
          type: 'graph_error',
          httpStatus: status,
          code: e.code,
          message: (e.error_data?.details ?? e.message).slice(0, 500),
          ...(e.is_transient === undefined ? {} : { transient: e.is_transient }),
        };
      }
      return { type: 'http_error', httpStatus: status };
    },
    close: () => agent.close(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
