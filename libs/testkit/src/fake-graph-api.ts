import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  at: Date;
  method: string;
  path: string;
  /** From `/:version/:phoneNumberId/messages`; undefined for other paths. */
  version?: string;
  phoneNumberId?: string;
  /** Request headers; `authorization` is reduced to whether the bearer token was right. */
  headers: IncomingHttpHeaders;
  authorized: boolean;
  /** Parsed JSON, or the raw text when it was not JSON. */
  body: unknown;
  /** HTTP status the fake answered. */
  status?: number;
}

export interface FakeResponse {
  status: number;
  body: unknown;
  /** Wait before answering, e.g. to trip a client timeout. */
  delayMs?: number;
}

export interface GraphFailure {
  httpStatus: number;
  /** Graph error code, e.g. 130429, 131056, 131000 (docs/whatsapp.md#errors). */
  code: number;
  message?: string;
  details?: string;
  delayMs?: number;
}

/** Decides the answer for a request; return undefined for the default success answer. */
export type Responder = (request: RecordedRequest) => FakeResponse | undefined;

export interface FakeGraphApi {
  /** e.g. http://127.0.0.1:41234 — use as WHATSAPP_GRAPH_BASE_URL. */
  baseUrl: string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** The next `n` authorized requests get this Graph error. */
  failNext(n: number, failure: GraphFailure): void;
  /** Custom answers (undefined: back to defaults). Scripted failNext() failures win. */
  respondWith(fn: Responder | undefined): void;
  close(): Promise<void>;
}

const KNOWN_MESSAGES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  4: '(#4) Application request limit reached',
  100: '(#100) Invalid parameter',
  130429: '(#130429) Rate limit hit',
  131000: 'Something went wrong',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131056: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
  131057: 'Account in maintenance mode',
};

/** A Graph API error body in Meta's shape (docs/whatsapp.md#errors). */
export function graphError(
  code: number,
  message?: string,
  details?: string,
): { error: Record<string, unknown> } {
  const text = message ?? KNOWN_MESSAGES[code] ?? `(#${code}) Error`;
  return {
    error: {
      message: text,
      type: code === 190 || code === 130429 || code === 4 ? 'OAuthException' : 'GraphMethodException',
      code,
      error_data: { messaging_product: 'whatsapp', details: details ?? text },
      fbtrace_id: randomBytes(12).toString('base64url'),
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defaultAnswer(request: RecordedRequest, nextWamid: () => string): FakeResponse {
  const body = request.body;
  if (!isRecord(body)) return { status: 400, body: graphError(100, 'Request body is not JSON') };
  if (body.status === 'read') return { status: 200, body: { success: true } };
  if (typeof body.to !== 'string' || body.to.length === 0) {
    return { status: 400, body: graphError(131008, 'Required parameter is missing', 'to is required') };
  }
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: body.to.replace(/^\+/, '') }],
      messages: [{ id: nextWamid() }],
    },
  };
}

/** A WhatsApp Cloud API send endpoint on a real socket, recording what it was sent. */
export async function startFakeGraphApi(opts: { accessToken: string }): Promise<FakeGraphApi> {
  const requests: RecordedRequest[] = [];
  const failures: GraphFailure[] = [];
  let responder: Responder | undefined;
  let counter = 0;
  const nextWamid = () =>
    `wamid.${Buffer.from(`fake-${++counter}-${randomBytes(8).toString('hex')}`).toString('base64')}`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
    const authorized = req.headers.authorization === `Bearer ${opts.accessToken}`;
    const headers: IncomingHttpHeaders = { ...req.headers };
    if (headers.authorization !== undefined)
      headers.authorization = authorized ? 'Bearer ***' : 'Bearer <wrong>';
    const request: RecordedRequest = {
      at: new Date(),
      method: req.method ?? 'GET',
      path,
      ...(match ? { version: match[1], phoneNumberId: match[2] } : {}),
      headers,
      authorized,
      body: parseJson(text),
    };
    requests.push(request);

    let answer: FakeResponse;
    if (!authorized) {
      answer = {
        status: 401,
        body: graphError(190, 'Error validating access token: The access token could not be decrypted'),
      };
    } else if (req.method !== 'POST' || !match) {
      answer = { status: 400, body: graphError(100, `Unsupported ${req.method} request to ${path}`) };
    } else {
      const failure = failures.shift();
      answer = failure
        ? {
            status: failure.httpStatus,
            body: graphError(failure.code, failure.message, failure.details),
            ...(failure.delayMs === undefined ? {} : { delayMs: failure.delayMs }),
          }
        : (responder?.(request) ?? defaultAnswer(request, nextWamid));
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    request.status = answer.status;
    const payload = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(graphError(1, err instanceof Error ? err.message : String(err))));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failNext: (n, failure) => {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    respondWith: (fn) => {
      responder = fn;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
