import { localParts } from '@reserveit/time';
import { Agent, errors, request } from 'undici';
import type { Turn } from '../memory/memory-store.js';
import type { Interpretation, InterpretInput } from '../nlu/index.js';
import { ANSWER_JSON_SCHEMA, chatCompletionSchema, llmAnswerSchema, toInterpretation } from './llm-answer.js';

export type FallbackReason = 'timeout' | 'http_error' | 'invalid_response' | 'network' | 'circuit_open';

/** Why the LLM gave no usable answer; the interpreter falls back to rules and records it. */
export class LlmFailure extends Error {
  override name = 'LlmFailure';
  constructor(
    readonly reason: Exclude<FallbackReason, 'circuit_open'>,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenAiOptions {
  /** e.g. http://127.0.0.1:11434/v1 — "/chat/completions" is appended. */
  baseUrl: string;
  model: string;
  apiKey: string;
}

export interface LlmProvider {
  readonly model: string;
  interpret(input: InterpretInput, memory: readonly Turn[], timeoutMs: number): Promise<Interpretation>;
  close(): Promise<void>;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Any OpenAI-compatible chat-completions endpoint (Workers AI, Ollama, vLLM, llama.cpp server)
 * with a JSON-schema response. Every failure is an LlmFailure with a reason; none is retried here
 * (the guest is waiting: rules answer instead).
 */
export function openAiProvider(options: OpenAiOptions): LlmProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  return {
    model: options.model,
    async interpret(input, memory, timeoutMs) {
      const body = JSON.stringify({
        model: options.model,
        temperature: 0,
        messages: [
          { role: 'system', content: systemPrompt(input) },
          ...memory.map(toMessage),
          { role: 'user', content: userContent(input) },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'interpretation', strict: true, schema: ANSWER_JSON_SCHEMA },
        },
      });
      let text: string;
      try {
        const response = await request(url, {
          method: 'POST',
          dispatcher,
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs))),
        });
        text = await readLimited(response.body, MAX_RESPONSE_BYTES);
        if (response.statusCode < 200 || response.statusCode >= 300) {
          throw new LlmFailure('http_error', `HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
        }
      } catch (error) {
        throw asFailure(error);
      }
      return parseCompletion(text);
    },
    close: () => dispatcher.close(),
  };
}

export function parseCompletion(text: string): Interpretation {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new LlmFailure('invalid_response', 'response body is not JSON');
  }
  const completion = chatCompletionSchema.safeParse(envelope);
  if (!completion.success) throw new LlmFailure('invalid_response', 'not a chat completion');
  const content = completion.data.choices[0]?.message.content ?? '';
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new LlmFailure('invalid_response', 'message content is not JSON');
  }
  const answer = llmAnswerSchema.safeParse(json);
  if (!answer.success) {
    throw new LlmFailure(
      'invalid_response',
      `content does not match the schema: ${answer.error.issues[0]?.message ?? ''}`,
    );
  }
  return toInterpretation(answer.data);
}

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new LlmFailure('invalid_response', `response larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function asFailure(error: unknown): LlmFailure {
  if (error instanceof LlmFailure) return error;
  const name = (error as Error)?.name;
  if (
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError
  ) {
    return new LlmFailure('timeout', 'the LLM did not answer in time');
  }
  return new LlmFailure('network', (error as Error)?.message ?? String(error));
}

function systemPrompt(input: InterpretInput): string {
  const local = localParts(input.now, input.timeZone);
  const weekday = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][
    local.isoWeekday - 1
  ];
  return [
    'You classify WhatsApp messages a guest sends to a restaurant.',
    'Intents: BOOK (new reservation), MODIFY (change one), CANCEL, MENU (food, drinks, prices, diets), HOURS (opening times),',
    'GREETING, HUMAN (wants a person), THANKS, OTHER. A message that only answers a question ("4", "8pm", "Sarah") is OTHER with answer=true.',
    `It is now ${weekday} ${local.date} ${local.time} in the restaurant's timezone (${input.timeZone}). Resolve relative dates to YYYY-MM-DD and times to 24h HH:MM;`,
    'a bare hour for dinner means the evening. Use null for anything not given. Reply with JSON only.',
    input.expecting ? `The assistant last asked for: ${input.expecting}.` : '',
  ]
    .filter((line) => line.length > 0)
    .join('\n');
}

function userContent(input: InterpretInput): string {
  if (input.interactive)
    return `[${input.interactive.kind} id=${input.interactive.id}] ${input.interactive.title}`;
  return input.text;
}

const toMessage = (turn: Turn) => ({
  role: turn.role === 'guest' ? 'user' : 'assistant',
  content: turn.text,
});
