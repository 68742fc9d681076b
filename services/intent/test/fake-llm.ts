import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake endpoint answers the next requests. */
export type LlmBehaviour =
  | { kind: 'answer'; content: unknown }
  | { kind: 'malformed' }
  | { kind: 'off-schema' }
  | { kind: 'slow'; delayMs: number; content: unknown }
  | { kind: 'fail'; status: number };

export interface RecordedLlmRequest {
  path: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[]; response_format: { type: string } };
}

export interface FakeLlm {
  baseUrl: string;
  requests: RecordedLlmRequest[];
  behave(behaviour: LlmBehaviour): void;
  close(): Promise<void>;
}

/** An OpenAI-compatible chat-completions endpoint on a free loopback port, speaking the real HTTP shape. */
export async function startFakeLlm(): Promise<FakeLlm> {
  let behaviour: LlmBehaviour = { kind: 'fail', status: 503 };
  const requests: RecordedLlmRequest[] = [];
  const pending = new Set<NodeJS.Timeout>();
  const completion = (content: string) =>
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      model: 'fake-model',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
    });
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    requests.push({
      path: request.url ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedLlmRequest['body'],
    });
    const send = (status: number, body: string) => {
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    };
    const current = behaviour;
    switch (current.kind) {
      case 'answer':
        return send(200, completion(JSON.stringify(current.content)));
      case 'malformed':
        return send(200, completion('{"intent": "BOOK", "entities": '));
      case 'off-schema':
        return send(
          200,
          completion(JSON.stringify({ intent: 'ORDER_PIZZA', language: 'en', confidence: 3, entities: {} })),
        );
      case 'slow': {
        const timer = setTimeout(() => {
          pending.delete(timer);
          send(200, completion(JSON.stringify(current.content)));
        }, current.delayMs);
        pending.add(timer);
        return;
      }
      case 'fail':
        return send(
          current.status,
          JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }),
        );
    }
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A valid model answer: a booking for 4 tomorrow at 20:00. */
export const GOOD_ANSWER = {
  intent: 'BOOK',
  language: 'en',
  confidence: 0.93,
  answer: false,
  entities: {
    date: '2026-11-24',
    time: '20:00',
    party_size: 4,
    guest_name: null,
    menu_category: null,
    menu_item: null,
  },
};
