import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { metaIdSchema } from '@reserveit/contracts';
import { domainError, GrpcStatus } from '@reserveit/rpc';
import {
  type Conversation,
  ConversationMode,
  type ConversationServiceServer,
  Direction,
} from '@reserveit/rpc/conversation/v1/conversation';
import type { Logger } from '@reserveit/telemetry';
import { z } from 'zod';
import type { ConversationSummary } from './conversation-store.js';
import type { Rejection } from './decider/index.js';
import { handle, type PipelineDeps, type StaffCommand } from './pipeline.js';
import { storableText } from './storable-text.js';

export const CONVERSATION_SERVICE_NAME = 'conversation.v1.ConversationService';

class Refused extends Error {
  constructor(
    readonly status: GrpcStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Each rejection's gRPC status: the class of error a caller can act on. */
const REJECTION_STATUS: Record<Rejection['code'], GrpcStatus> = {
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  NOT_HANDED_OFF: GrpcStatus.FAILED_PRECONDITION,
  NOT_IDLE: GrpcStatus.FAILED_PRECONDITION,
};

const listRequest = z.object({
  businessId: z.string().max(200),
  mode: z.enum(ConversationMode),
  pageSize: z.number().int().min(0).max(200),
  pageToken: z.string().max(500),
});
const idRequest = z.object({ conversationId: z.string().min(1).max(200) });
const staffRequest = idRequest.extend({
  staff: z.string().max(200),
  // A UUID, so two callers' ids never meet: it names the action's events and its inbox row.
  requestId: z.union([z.literal(''), z.uuid()]).transform((id) => id || undefined),
});
const replyRequest = staffRequest.extend({
  // WhatsApp's limit for a text message's body; stored as the history's text too.
  text: z.string().trim().min(1).max(4096).transform(storableText),
});

// A wamid as ingress accepts it (libs/contracts/src/meta-formats.ts, docs/whatsapp.md).
const locateRequest = z.object({ wamid: metaIdSchema });

function unary<Req, Res>(logger: Logger, work: (request: Req) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    work(call.request).then(
      (response) => callback(null, response),
      (error: unknown) => {
        if (error instanceof Refused) return callback(domainError(error.status, error.code, error.message));
        if (error instanceof z.ZodError) {
          return callback(
            domainError(
              GrpcStatus.INVALID_ARGUMENT,
              'INVALID_ARGUMENT',
              error.issues[0]?.message ?? 'invalid',
            ),
          );
        }
        logger.error({ err: error }, 'conversation gRPC call failed');
        callback(domainError(GrpcStatus.INTERNAL, 'INTERNAL', 'the call failed'));
      },
    );
  };
}

function toWire(row: ConversationSummary, now: number): Conversation {
  const until = row.handoffUntil ?? undefined;
  const human = row.mode === 'human' && until !== undefined && until.getTime() > now;
  return {
    id: row.id,
    businessId: row.businessId,
    phoneNumberId: row.phoneNumberId,
    guestId: row.guestId,
    guestName: row.guestName ?? '',
    mode: human ? ConversationMode.CONVERSATION_MODE_HUMAN : ConversationMode.CONVERSATION_MODE_BOT,
    handoffUntil: human && until ? until.toISOString() : '',
    language: row.language,
    phase: row.phase,
    lastMessageAt: row.lastMessageAt.toISOString(),
    messageCount: row.messageCount,
  };
}

/**
 * Staff tools: read conversations (from the store), take one over, give it back, write to the
 * guest. The actions go through the pipeline like a guest's message, so they are decided, recorded
 * and published the same way.
 */
export function conversationService(deps: PipelineDeps): ConversationServiceServer {
  const { store, logger } = deps;

  async function summary(id: string): Promise<Conversation> {
    const found = await store.summary(id);
    if (!found) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no conversation ${id}`);
    return toWire(found, deps.now());
  }

  /** Runs a staff action; its rejection is the call's error. */
  async function act(
    { conversationId, requestId }: { conversationId: string; requestId: string | undefined },
    command: StaffCommand,
  ): Promise<string[]> {
    const handled = await handle(deps, {
      kind: 'staff',
      conversationId,
      command,
      ...(requestId ? { requestId } : {}),
    });
    if (handled.outcome === 'rejected') {
      const { code, message } = handled.rejection;
      throw new Refused(REJECTION_STATUS[code], code, message);
    }
    return handled.outcome === 'done' ? handled.sent : [];
  }

  return {
    listConversations: unary(logger, async (raw) => {
      const request = listRequest.parse(raw);
      const size = request.pageSize || 50;
      let after: { lastMessageAt: Date; id: string } | undefined;
      if (request.pageToken) {
        const [at, id] = Buffer.from(request.pageToken, 'base64url').toString('utf8').split('|');
        if (!at || !id || Number.isNaN(Date.parse(at)))
          throw new Refused(GrpcStatus.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'bad page_token');
        after = { lastMessageAt: new Date(at), id };
      }
      const mode =
        request.mode === ConversationMode.CONVERSATION_MODE_HUMAN
          ? 'human'
          : request.mode === ConversationMode.CONVERSATION_MODE_BOT
            ? 'bot'
            : undefined;
      const rows = await store.list({
        ...(request.businessId ? { businessId: request.businessId } : {}),
        ...(mode ? { mode } : {}),
        now: new Date(deps.now()),
        ...(after ? { after } : {}),
        limit: size + 1,
      });
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      return {
        conversations: page.map((row) => toWire(row, deps.now())),
        nextPageToken:
          rows.length > size && last
            ? Buffer.from(`${last.lastMessageAt.toISOString()}|${last.id}`).toString('base64url')
            : '',
      };
    }),
    getConversation: unary(logger, async (raw) => {
      const { conversationId } = idRequest.parse(raw);
      const limit = Math.min(Math.max(raw.messageLimit || 50, 1), 500);
      const conversation = await summary(conversationId);
      const messages = await store.history(conversationId, limit);
      return {
        conversation,
        messages: messages.map((message) => ({
          id: message.id,
          direction: message.direction === 'in' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND,
          kind: message.kind,
          text: message.text,
          intent: message.intent ?? '',
          at: message.at.toISOString(),
        })),
      };
    }),
    handoff: unary(logger, async (raw) => {
      const request = staffRequest.parse(raw);
      await act(request, { type: 'takeOver', staff: request.staff });
      return { conversation: await summary(request.conversationId) };
    }),
    release: unary(logger, async (raw) => {
      const request = staffRequest.parse(raw);
      await act(request, { type: 'release', staff: request.staff });
      return { conversation: await summary(request.conversationId) };
    }),
    reply: unary(logger, async (raw) => {
      const request = replyRequest.parse(raw);
      const [messageId = ''] = await act(request, {
        type: 'staffReply',
        staff: request.staff,
        text: request.text,
      });
      return { conversation: await summary(request.conversationId), messageId };
    }),
    locateMessage: unary(logger, async (raw) => {
      const { wamid } = locateRequest.parse(raw);
      const found = await store.locate(wamid);
      if (!found) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no message ${wamid} handled`);
      return { conversationId: found.conversationId ?? '', streamSequence: found.streamSeq };
    }),
  };
}
