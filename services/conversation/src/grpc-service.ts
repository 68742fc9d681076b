import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { metaIdSchema } from '@reserveit/contracts';
import { domainError, GrpcStatus } from '@reserveit/rpc';
import {
  type Conversation,
  ConversationMode,
  type ConversationServiceServer,
  Direction,
  HandoffFilter,
} from '@reserveit/rpc/conversation/v1/conversation';
import type { Logger } from '@reserveit/telemetry';
import { z } from 'zod';
import type { ConversationSummary } from './conversation-store.js';
import type { Rejection, StaffMessage } from './decider/index.js';
import { inboxSearch } from './inbox-search.js';
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
  OUTSIDE_WINDOW: GrpcStatus.FAILED_PRECONDITION,
  TAKEN_BY_OTHER: GrpcStatus.FAILED_PRECONDITION,
  NO_TEMPLATE: GrpcStatus.FAILED_PRECONDITION,
};

const listRequest = z.object({
  businessId: z.string().max(200),
  mode: z.enum(ConversationMode),
  pageSize: z.number().int().min(0).max(200),
  pageToken: z.string().max(500),
  query: z.string().max(100),
  handoff: z.enum(HandoffFilter),
});
const idRequest = z.object({
  conversationId: z.string().min(1).max(200),
  // A console scoped to one business: another business's conversation is NOT_FOUND.
  businessId: z
    .string()
    .max(200)
    .transform((id) => id || undefined),
});
const staffRequest = idRequest.extend({
  staff: z.string().max(200),
  // A UUID, so two callers' ids never meet: it names the action's events and its inbox row.
  requestId: z.union([z.literal(''), z.uuid()]).transform((id) => id || undefined),
});
// Meta refuses a body parameter with a newline, a tab or more than four spaces in a row (132018),
// after the message was promised: refused here instead.
const templateParameter = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (text) => !/[\n\t]| {5}/.test(text),
    'a template parameter may not hold newlines, tabs or 5 spaces in a row',
  )
  .transform(storableText);
const template = z.object({
  // Meta's template names: lowercase letters, digits and underscores.
  name: z
    .string()
    .regex(/^[a-z0-9_]{1,512}$/, 'a template name is lowercase letters, digits and underscores'),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})?$/, 'a template language is a code like en or en_US'),
  bodyParameters: z.array(templateParameter).max(20),
});
const replyRequest = staffRequest
  .extend({
    // WhatsApp's limit for a text message's body; stored as the history's text too.
    text: z.string().trim().max(4096).transform(storableText),
    template: template.optional(),
  })
  .refine((request) => (request.text === '') !== (request.template === undefined), {
    message: 'a reply is either text (1 to 4096 characters) or a template',
  })
  .transform(({ text, template, ...request }) => {
    const message: StaffMessage = template ? { kind: 'template', ...template } : { kind: 'text', text };
    return { ...request, message };
  });
const markReadRequest = idRequest.extend({ staff: z.string().max(200) });

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

/** Who acts, and the business a scoped console limits them to. */
function scopeOf(request: { staff: string; businessId: string | undefined }) {
  return { staff: request.staff, ...(request.businessId ? { businessId: request.businessId } : {}) };
}

function toWire(row: ConversationSummary, now: number): Conversation {
  const until = row.handoffUntil ?? undefined;
  const human = row.mode === 'human' && until !== undefined && until.getTime() > now;
  const iso = (at: Date | null) => (at ? at.toISOString() : '');
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
    unreadCount: row.unreadCount,
    // Who has it and who waits matter only while the handoff lasts: after it ran out the assistant answers.
    waitingSince: human ? iso(row.waitingSince) : '',
    takenBy: human ? (row.takenBy ?? '') : '',
    lastInboundAt: iso(row.lastInboundAt),
    lastMessagePreview: row.lastMessagePreview,
    lastFailure: row.lastFailure ?? '',
    lowRating: row.lowRating ?? 0,
  };
}

/**
 * Staff tools: read conversations (from the store), take one over, give it back, write to the
 * guest. The actions go through the pipeline like a guest's message, so they are decided, recorded
 * and published the same way.
 */
export function conversationService(deps: PipelineDeps): ConversationServiceServer {
  const { store, logger } = deps;

  async function summary(id: string, businessId: string | undefined): Promise<Conversation> {
    return found(id, await store.summary(id, businessId));
  }

  /** Another business's conversation is refused in the same words as one that does not exist. */
  function found(id: string, row: ConversationSummary | undefined): Conversation {
    if (!row) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no conversation ${id}`);
    return toWire(row, deps.now());
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
      const search = inboxSearch(request.query);
      const handoff =
        request.handoff === HandoffFilter.HANDOFF_FILTER_WAITING
          ? 'waiting'
          : request.handoff === HandoffFilter.HANDOFF_FILTER_TAKEN
            ? 'taken'
            : undefined;
      const rows = await store.list({
        ...(request.businessId ? { businessId: request.businessId } : {}),
        ...(search ? { search } : {}),
        ...(mode ? { mode } : {}),
        ...(mode === 'human' && handoff ? { handoff } : {}),
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
      const { conversationId, businessId } = idRequest.parse(raw);
      const limit = Math.min(Math.max(raw.messageLimit || 50, 1), 500);
      const conversation = await summary(conversationId, businessId);
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
          status: message.delivery?.status ?? '',
          error: message.delivery?.error ?? '',
          author: message.author,
        })),
      };
    }),
    handoff: unary(logger, async (raw) => {
      const request = staffRequest.parse(raw);
      await act(request, { type: 'takeOver', ...scopeOf(request) });
      return { conversation: await summary(request.conversationId, request.businessId) };
    }),
    release: unary(logger, async (raw) => {
      const request = staffRequest.parse(raw);
      await act(request, { type: 'release', ...scopeOf(request) });
      return { conversation: await summary(request.conversationId, request.businessId) };
    }),
    reply: unary(logger, async (raw) => {
      const request = replyRequest.parse(raw);
      const [messageId = ''] = await act(request, {
        type: 'staffReply',
        ...scopeOf(request),
        message: request.message,
      });
      return { conversation: await summary(request.conversationId, request.businessId), messageId };
    }),
    markRead: unary(logger, async (raw) => {
      const { conversationId, businessId, staff } = markReadRequest.parse(raw);
      const conversation = found(conversationId, await store.markRead(conversationId, businessId));
      logger.debug({ conversationId, staff }, 'conversation read by staff');
      return { conversation };
    }),
    locateMessage: unary(logger, async (raw) => {
      const { wamid } = locateRequest.parse(raw);
      const found = await store.locate(wamid);
      if (!found) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no message ${wamid} handled`);
      return { conversationId: found.conversationId ?? '', streamSequence: found.streamSeq };
    }),
  };
}
