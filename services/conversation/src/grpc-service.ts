import { randomUUID } from 'node:crypto';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Topology } from '@reserveit/contracts';
import { domainError, GrpcStatus } from '@reserveit/rpc';
import {
  type Conversation,
  ConversationMode,
  type ConversationServiceServer,
  Direction,
} from '@reserveit/rpc/conversation/v1/conversation';
import type { Logger } from '@reserveit/telemetry';
import { sql } from 'kysely';
import { z } from 'zod';
import { type ConversationStore, type StoredConversation, VersionConflict } from './conversation-store.js';
import type { ConversationsTable } from './database.js';
import { decisionRecords } from './decision-records.js';
import { type DialogueSettings, next } from './dialogue/index.js';
import { publishDecisions } from './outbox-relay.js';

export const CONVERSATION_SERVICE_NAME = 'conversation.v1.ConversationService';

export interface StaffDeps {
  store: ConversationStore;
  js: JetStreamClient;
  topology: Topology;
  logger: Logger;
  settings: DialogueSettings;
  publishTimeoutMs: number;
  now: () => number;
}

class Refused extends Error {
  constructor(
    readonly status: GrpcStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const listRequest = z.object({
  businessId: z.string().max(200),
  mode: z.enum(ConversationMode),
  pageSize: z.number().int().min(0).max(200),
  pageToken: z.string().max(500),
});
const idRequest = z.object({ conversationId: z.string().min(1).max(200) });

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

type Row = Pick<
  ConversationsTable,
  | 'id'
  | 'business_id'
  | 'phone_number_id'
  | 'guest_id'
  | 'guest_name'
  | 'mode'
  | 'language'
  | 'phase'
  | 'message_count'
> & { handoff_until: Date | null; last_message_at: Date };

function toWire(row: Row, now: number): Conversation {
  const until = row.handoff_until ? new Date(row.handoff_until) : undefined;
  const human = row.mode === 'human' && until !== undefined && until.getTime() > now;
  return {
    id: row.id,
    businessId: row.business_id,
    phoneNumberId: row.phone_number_id,
    guestId: row.guest_id,
    guestName: row.guest_name ?? '',
    mode: human ? ConversationMode.CONVERSATION_MODE_HUMAN : ConversationMode.CONVERSATION_MODE_BOT,
    handoffUntil: human && until ? until.toISOString() : '',
    language: row.language,
    phase: row.phase,
    lastMessageAt: new Date(row.last_message_at).toISOString(),
    messageCount: row.message_count,
  };
}

const COLUMNS = [
  'id',
  'business_id',
  'phone_number_id',
  'guest_id',
  'guest_name',
  'mode',
  'handoff_until',
  'language',
  'phase',
  'last_message_at',
  'message_count',
] as const;

/** Staff tools: read conversations, take one over, give it back. */
export function conversationService(deps: StaffDeps): ConversationServiceServer {
  const { store, logger } = deps;
  const db = store.db;

  async function getRow(id: string): Promise<Row> {
    const row = await db
      .selectFrom('conversation.conversations')
      .select(COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no conversation ${id}`);
    return row as Row;
  }

  /** Staff actions go through the dialogue like a guest's turn, so they are events and state alike. */
  async function staffAction(id: string, action: 'handoff' | 'release'): Promise<Conversation> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await store.load(id);
      if (!stored) throw new Refused(GrpcStatus.NOT_FOUND, 'NOT_FOUND', `no conversation ${id}`);
      const at = new Date(deps.now()).toISOString();
      const step = next(stored.state, { kind: 'staff', action, now: at }, deps.settings);
      const causationId = `staff:${randomUUID()}`;
      const records = decisionRecords(contextOf(stored, causationId, at), {
        effects: step.effects.flatMap((effect) => (effect.kind === 'call' ? [] : [effect])),
        state: step.state,
      });
      try {
        await store.commitStaff({
          id,
          businessId: stored.businessId,
          phoneNumberId: stored.phoneNumberId,
          guestId: stored.guestId,
          guestName: null,
          state: step.state,
          expectedVersion: stored.version,
          at,
          messages: records.messages,
          outbox: records.outbox,
          causationId,
        });
      } catch (error) {
        if (error instanceof VersionConflict && attempt < 5) continue;
        throw error;
      }
      await publishDecisions(
        deps.js,
        store,
        await store.unpublished({ causationId }),
        deps.publishTimeoutMs,
      ).catch((error: unknown) =>
        logger.warn({ err: error }, 'staff action committed; its events wait for the outbox sweeper'),
      );
      return toWire(await getRow(id), deps.now());
    }
  }

  function contextOf(stored: StoredConversation, causationId: string, at: string) {
    return {
      topology: deps.topology,
      conversationId: stored.id,
      businessId: stored.businessId,
      phoneNumberId: stored.phoneNumberId,
      guestId: stored.guestId,
      causationId,
      at,
    };
  }

  return {
    listConversations: unary(logger, async (raw) => {
      const request = listRequest.parse(raw);
      const size = request.pageSize || 50;
      let query = db.selectFrom('conversation.conversations').select(COLUMNS);
      if (request.businessId) query = query.where('business_id', '=', request.businessId);
      const now = new Date(deps.now());
      if (request.mode === ConversationMode.CONVERSATION_MODE_HUMAN) {
        query = query.where('mode', '=', 'human').where('handoff_until', '>', now);
      } else if (request.mode === ConversationMode.CONVERSATION_MODE_BOT) {
        query = query.where((eb) => eb.or([eb('mode', '=', 'bot'), eb('handoff_until', '<=', now)]));
      }
      if (request.pageToken) {
        const [at, id] = Buffer.from(request.pageToken, 'base64url').toString('utf8').split('|');
        if (!at || !id || Number.isNaN(Date.parse(at)))
          throw new Refused(GrpcStatus.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'bad page_token');
        query = query.where(sql<boolean>`(last_message_at, id) < (${new Date(at)}, ${id})`);
      }
      const rows = (await query
        .orderBy('last_message_at', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute()) as Row[];
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      return {
        conversations: page.map((row) => toWire(row, deps.now())),
        nextPageToken:
          rows.length > size && last
            ? Buffer.from(`${new Date(last.last_message_at).toISOString()}|${last.id}`).toString('base64url')
            : '',
      };
    }),
    getConversation: unary(logger, async (raw) => {
      const { conversationId } = idRequest.parse(raw);
      const limit = Math.min(Math.max(raw.messageLimit || 50, 1), 500);
      const row = await getRow(conversationId);
      const messages = await db
        .selectFrom('conversation.messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return {
        conversation: toWire(row, deps.now()),
        messages: messages.reverse().map((message) => ({
          id: message.id,
          direction: message.direction === 'in' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND,
          kind: message.kind,
          text: message.text,
          intent: message.intent ?? '',
          at: new Date(message.at).toISOString(),
        })),
      };
    }),
    handoff: unary(logger, async (raw) => ({
      conversation: await staffAction(idRequest.parse(raw).conversationId, 'handoff'),
    })),
    release: unary(logger, async (raw) => ({
      conversation: await staffAction(idRequest.parse(raw).conversationId, 'release'),
    })),
  };
}
