import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { domainError, GrpcStatus } from '@reserveit/rpc';
import {
  type IntentServiceServer,
  type InterpretRequest,
  type InterpretResponse,
  Intent as WireIntent,
  Source as WireSource,
} from '@reserveit/rpc/intent/v1/intent';
import type { Logger } from '@reserveit/telemetry';
import { isValidTimeZone } from '@reserveit/time';
import { z } from 'zod';
import type { Interpreter, Outcome } from './interpreter.js';
import type { Intent, InterpretInput } from './nlu/index.js';

export const INTENT_SERVICE_NAME = 'intent.v1.IntentService';

/** WhatsApp caps a text message at 4,096 characters; anything longer did not come from a guest. */
const MAX_TEXT = 4096;

const requestSchema = z.object({
  text: z.string().max(MAX_TEXT),
  localeHint: z.string().max(35),
  conversationId: z.string().max(256),
  businessTimezone: z
    .string()
    .transform((zone) => zone || 'UTC')
    .refine(isValidTimeZone, { message: 'not an IANA time zone', params: { code: 'INVALID_TIMEZONE' } }),
  now: z.string().refine((value) => value === '' || !Number.isNaN(Date.parse(value)), {
    message: 'not an ISO-8601 instant',
    params: { code: 'INVALID_NOW' },
  }),
  interactive: z
    // A completed Flow's id is its response_json (nlu/flow-reply.ts), longer than a button's.
    .object({ kind: z.string(), id: z.string().min(1).max(2_048), title: z.string().max(MAX_TEXT) })
    .optional(),
  expecting: z.enum(['', 'date', 'time', 'party_size', 'name']),
});

const WIRE_INTENT: Record<Intent, WireIntent> = {
  BOOK: WireIntent.INTENT_BOOK,
  MODIFY: WireIntent.INTENT_MODIFY,
  CANCEL: WireIntent.INTENT_CANCEL,
  MENU: WireIntent.INTENT_MENU,
  HOURS: WireIntent.INTENT_HOURS,
  GREETING: WireIntent.INTENT_GREETING,
  HUMAN: WireIntent.INTENT_HUMAN,
  THANKS: WireIntent.INTENT_THANKS,
  OTHER: WireIntent.INTENT_OTHER,
};

/** The wire edge: validates the request, maps it to the core's input, maps the outcome back. */
export function intentService(
  interpreter: Interpreter,
  logger: Logger,
  clock: () => Date = () => new Date(),
): IntentServiceServer {
  return {
    interpret(
      call: ServerUnaryCall<InterpretRequest, InterpretResponse>,
      callback: sendUnaryData<InterpretResponse>,
    ) {
      const parsed = requestSchema.safeParse(call.request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const code =
          issue && 'params' in issue
            ? String((issue.params as { code?: string } | undefined)?.code ?? 'INVALID_REQUEST')
            : 'INVALID_REQUEST';
        callback(
          domainError(
            GrpcStatus.INVALID_ARGUMENT,
            code,
            `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
          ) as Error,
        );
        return;
      }
      const request = parsed.data;
      if (request.text.trim() === '' && !request.interactive) {
        callback(
          domainError(
            GrpcStatus.INVALID_ARGUMENT,
            'EMPTY_MESSAGE',
            'text or interactive is required',
          ) as Error,
        );
        return;
      }
      const input: InterpretInput = {
        text: request.text,
        localeHint: request.localeHint,
        conversationId: request.conversationId,
        timeZone: request.businessTimezone,
        now: request.now ? new Date(request.now) : clock(),
        ...(request.interactive
          ? {
              interactive: {
                kind:
                  request.interactive.kind === 'list_reply' || request.interactive.kind === 'nfm_reply'
                    ? request.interactive.kind
                    : 'button_reply',
                id: request.interactive.id,
                title: request.interactive.title,
              },
            }
          : {}),
        ...(request.expecting ? { expecting: request.expecting } : {}),
      };
      interpreter.interpret(input, budgetOf(call)).then(
        (outcome) => callback(null, toWire(outcome)),
        (error: unknown) => {
          logger.error({ err: error }, 'interpret failed');
          callback(
            domainError(GrpcStatus.INTERNAL, 'INTERPRET_FAILED', 'could not interpret the message') as Error,
          );
        },
      );
    },
  };
}

/** Milliseconds left before the caller's deadline (Infinity when it set none). */
function budgetOf(call: ServerUnaryCall<InterpretRequest, InterpretResponse>): number {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
  return Number.isFinite(at) ? at - Date.now() : Number.POSITIVE_INFINITY;
}

export function toWire(outcome: Outcome): InterpretResponse {
  const { interpretation: i } = outcome;
  return {
    intent: WIRE_INTENT[i.intent],
    entities: {
      date: i.entities.date ?? '',
      time: i.entities.time ?? '',
      partySize: i.entities.partySize ?? 0,
      guestName: i.entities.guestName ?? '',
      menuCategory: i.entities.menuCategory ?? '',
      menuItem: i.entities.menuItem ?? '',
    },
    language: i.language,
    confidence: i.confidence,
    source: outcome.source === 'llm' ? WireSource.SOURCE_LLM : WireSource.SOURCE_RULES,
    latencyMs: outcome.latencyMs,
    answer: i.answer,
    fallbackReason: outcome.fallbackReason ?? '',
    model: outcome.model,
  };
}
