import type {
  ConversationDetail,
  ConversationSummary,
  DaySheet,
  Reservation,
  Role,
  Settings,
  Timeline,
  TimelineEntry,
} from '@reserveit/console-api';
import { callerMetadata, methodPath, type UnaryMethod, unaryCall } from '@reserveit/rpc';
import {
  type Conversation,
  ConversationMode,
  HandoffFilter,
} from '@reserveit/rpc/conversation/v1/conversation';
import * as reservation from '@reserveit/rpc/reservation/v1/reservation';
import type { ApiTokens } from './api-tokens.js';
import type { BusinessDirectory } from './business-directory.js';
import type { DaySheetCache } from './day-sheet-cache.js';
import { fromUpstream, notFound } from './http-errors.js';
import {
  followUpEntries,
  followUpsToProto,
  STATUS_TO_PROTO,
  toConversationSummary,
  toMessage,
  toProtoHours,
  toReservation,
  toSettings,
  toWaitlistEntry,
  windowOpenUntil,
} from './mapping.js';
import type { Principal } from './principal.js';
import type { StaffAccounts } from './staff-accounts.js';
import type { Upstreams } from './upstreams.js';

export interface ScopeDeps {
  upstreams: Upstreams;
  directory: BusinessDirectory;
  sheets: DaySheetCache;
  staff: StaffAccounts;
  tokens: ApiTokens;
  deadlineMs: number;
  now(): number;
}

const CONVERSATION_PAGE = 30;
const HISTORY_LIMIT = 200;

/**
 * Everything a request may do at one restaurant, and the only way route handlers reach gRPC or the
 * account tables: every call made here carries `businessId`, which tenant-scope.ts took from the
 * verified principal's memberships. The upstream services answer NOT_FOUND for another
 * restaurant's ids, so a guessed id reads as an unknown one.
 */
export class RestaurantScope {
  constructor(
    readonly businessId: string,
    readonly role: Role,
    readonly principal: Principal,
    private readonly deps: ScopeDeps,
  ) {}

  /**
   * Every call carries a token naming the principal's restaurants, so the services refuse a
   * business_id outside them even if a route here got its scope wrong.
   */
  private async call<C, Req, Res>(client: C, method: UnaryMethod<Req, Res>, request: Req): Promise<Res> {
    const metadata = await callerMetadata(this.deps.upstreams.sign, methodPath(method), {
      restaurants: [...this.principal.roles.keys()],
      staff: this.principal.name,
    });
    return unaryCall(client, method, request, this.deps.deadlineMs, metadata).catch((error: unknown) => {
      throw fromUpstream(error);
    });
  }

  private get rsv() {
    return this.deps.upstreams.reservation;
  }

  private get conv() {
    return this.deps.upstreams.conversation;
  }

  /** Today at the restaurant, as a service date. */
  today(timezone: string): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(new Date(this.deps.now()));
  }

  /** As remembered by the directory: the day view and the inbox need its time zone and templates. */
  async business(): Promise<reservation.Business> {
    const business = await this.deps.directory.business(this.businessId).catch((error: unknown) => {
      throw fromUpstream(error);
    });
    if (!business) throw notFound();
    return business;
  }

  async daySheet(date: string | undefined): Promise<DaySheet> {
    const business = await this.business();
    const day = date ?? this.today(business.timezone);
    return this.deps.sheets.get(this.businessId, day, async () => {
      const sheet = await this.call(this.rsv, this.rsv.getDaySheet, {
        businessId: this.businessId,
        date: day,
        includeCancelled: true,
      });
      return {
        date: day,
        timezone: business.timezone,
        closedReason: sheet.closedReason,
        slots: sheet.slots.map((s) => ({
          time: s.time,
          capacity: s.capacityCovers,
          coversUsed: s.coversUsed,
        })),
        reservations: sheet.reservations.map(toReservation),
        waitlist: sheet.waitlist.map(toWaitlistEntry),
      };
    });
  }

  async reservation(reservationId: string): Promise<Reservation> {
    const { reservation: found } = await this.call(this.rsv, this.rsv.getReservation, {
      reservationId,
      businessId: this.businessId,
    });
    if (!found) throw notFound();
    return toReservation(found);
  }

  async createReservation(input: {
    requestId: string;
    guestName: string;
    phone: string;
    walkIn: boolean;
    partySize: number;
    date: string;
    time: string;
    notes: string;
  }): Promise<Reservation> {
    const { reservation: created } = await this.call(this.rsv, this.rsv.createReservation, {
      businessId: this.businessId,
      idempotencyKey: `console:${input.requestId}`,
      // Digits only (and the leading +): how the reservation service keys a guest's phone.
      guestWaId: input.walkIn ? '' : input.phone.replace(/(?!^\+)\D/g, ''),
      guestName: input.guestName,
      partySize: input.partySize,
      date: input.date,
      time: input.time,
      notes: input.notes,
      source: reservation.ReservationSource.RESERVATION_SOURCE_STAFF,
    });
    if (!created) throw notFound();
    return this.changed(toReservation(created));
  }

  async changeReservation(
    reservationId: string,
    change: { date?: string; time?: string; partySize?: number; guestName?: string; notes?: string },
  ): Promise<Reservation> {
    const { reservation: changed } = await this.call(this.rsv, this.rsv.modifyReservation, {
      reservationId,
      businessId: this.businessId,
      date: change.date ?? '',
      time: change.time ?? '',
      partySize: change.partySize ?? 0,
      guestName: change.guestName,
      notes: change.notes,
      byStaff: true,
    });
    if (!changed) throw notFound();
    // It may have left another day, which this answer does not name.
    this.deps.sheets.invalidateBusiness(this.businessId);
    return toReservation(changed);
  }

  async cancelReservation(reservationId: string, reason: string): Promise<Reservation> {
    const { reservation: cancelled } = await this.call(this.rsv, this.rsv.cancelReservation, {
      reservationId,
      businessId: this.businessId,
      reason,
      byStaff: true,
    });
    if (!cancelled) throw notFound();
    return this.changed(toReservation(cancelled));
  }

  async setReservationStatus(
    reservationId: string,
    status: keyof typeof STATUS_TO_PROTO,
  ): Promise<Reservation> {
    const { reservation: changed } = await this.call(this.rsv, this.rsv.setReservationStatus, {
      reservationId,
      businessId: this.businessId,
      status: STATUS_TO_PROTO[status],
      staff: this.principal.name,
    });
    if (!changed) throw notFound();
    return this.changed(toReservation(changed));
  }

  /**
   * A write of this request: its day is read again at once, not when this process's live feed
   * catches up (the browser refetches the moment the write answers).
   */
  private changed(reservation: Reservation): Reservation {
    this.deps.sheets.invalidateDay(this.businessId, reservation.date);
    return reservation;
  }

  async conversations(query: {
    query?: string;
    state?: 'waiting' | 'taken' | 'bot';
    cursor?: string;
  }): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }> {
    const mode =
      query.state === undefined
        ? ConversationMode.CONVERSATION_MODE_UNSPECIFIED
        : query.state === 'bot'
          ? ConversationMode.CONVERSATION_MODE_BOT
          : ConversationMode.CONVERSATION_MODE_HUMAN;
    const handoff =
      query.state === 'waiting'
        ? HandoffFilter.HANDOFF_FILTER_WAITING
        : query.state === 'taken'
          ? HandoffFilter.HANDOFF_FILTER_TAKEN
          : HandoffFilter.HANDOFF_FILTER_UNSPECIFIED;
    const response = await this.call(this.conv, this.conv.listConversations, {
      businessId: this.businessId,
      mode,
      handoff,
      pageSize: CONVERSATION_PAGE,
      pageToken: query.cursor ?? '',
      query: query.query ?? '',
    });
    const all = response.conversations.map(toConversationSummary);
    return {
      conversations: all,
      nextCursor: response.nextPageToken || null,
    };
  }

  async conversation(conversationId: string): Promise<ConversationDetail> {
    const found = await this.call(this.conv, this.conv.getConversation, {
      conversationId,
      businessId: this.businessId,
      messageLimit: HISTORY_LIMIT,
    });
    if (!found.conversation) throw notFound();
    const guest = found.conversation.guestId;
    const [bookings, business] = await Promise.all([
      this.call(this.rsv, this.rsv.listReservations, {
        businessId: this.businessId,
        guestWaId: guest,
        date: '',
        includeCancelled: true,
        upcomingOnly: false,
      }),
      this.business(),
    ]);
    return {
      conversation: toConversationSummary(found.conversation),
      messages: found.messages.map(toMessage),
      windowOpenUntil: windowOpenUntil(found.conversation.lastInboundAt, this.deps.now()),
      reservations: bookings.reservations.map(toReservation),
      templates: toSettings(business, []).templates,
    };
  }

  /**
   * One guest's history from what the services keep: their bookings at this restaurant
   * (reservation.v1, every status) and their conversation's messages. A booking made by staff for
   * a guest who never wrote has no conversation.
   */
  async timeline(by: { conversationId?: string; reservationId?: string }): Promise<Timeline> {
    let conversationId = by.conversationId ?? null;
    let guestWaId: string;
    let guestName = '';
    if (by.reservationId) {
      const { reservation: found } = await this.call(this.rsv, this.rsv.getReservation, {
        reservationId: by.reservationId,
        businessId: this.businessId,
      });
      if (!found) throw notFound();
      guestWaId = found.guestWaId;
      guestName = found.guestName;
      const digits = guestWaId.replace(/\D/g, '');
      const matches =
        digits && !guestWaId.startsWith('walkin-')
          ? (await this.conversations({ query: digits })).conversations
          : [];
      conversationId = matches.length === 1 ? (matches[0]?.id ?? null) : null;
    } else {
      const found = await this.call(this.conv, this.conv.getConversation, {
        conversationId: conversationId ?? '',
        businessId: this.businessId,
        messageLimit: 1,
      });
      if (!found.conversation) throw notFound();
      guestWaId = found.conversation.guestId;
    }
    const [detail, bookings] = await Promise.all([
      conversationId ? this.conversation(conversationId) : undefined,
      this.call(this.rsv, this.rsv.listReservations, {
        businessId: this.businessId,
        guestWaId,
        date: '',
        includeCancelled: true,
        upcomingOnly: false,
      }),
    ]);
    const entries: TimelineEntry[] = [
      ...bookings.reservations.map(toReservation).map(
        (r): TimelineEntry => ({
          kind: 'booking',
          at: r.startsAt,
          reservationId: r.id,
          date: r.date,
          time: r.time,
          partySize: r.partySize,
          status: r.status,
        }),
      ),
      ...bookings.reservations.flatMap(followUpEntries),
      ...(detail?.messages ?? []).map(
        (m): TimelineEntry => ({
          kind: 'message',
          at: m.at,
          direction: m.direction,
          author: m.author,
          text: m.text,
          status: m.status,
          error: m.error,
        }),
      ),
    ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    return {
      guestName: detail?.conversation.guestName || guestName || bookings.reservations[0]?.guestName || '',
      guestPhoneTail: guestWaId.replace(/\D/g, '').slice(-4),
      conversationId,
      entries,
    };
  }

  private summaryOf(response: { conversation?: Conversation | undefined }): ConversationSummary {
    if (!response.conversation) throw notFound();
    return toConversationSummary(response.conversation);
  }

  async takeOver(conversationId: string, requestId: string): Promise<ConversationSummary> {
    return this.summaryOf(
      await this.call(this.conv, this.conv.handoff, {
        conversationId,
        businessId: this.businessId,
        staff: this.principal.name,
        requestId,
      }),
    );
  }

  async release(conversationId: string, requestId: string): Promise<ConversationSummary> {
    return this.summaryOf(
      await this.call(this.conv, this.conv.release, {
        conversationId,
        businessId: this.businessId,
        staff: this.principal.name,
        requestId,
      }),
    );
  }

  async markRead(conversationId: string): Promise<ConversationSummary> {
    return this.summaryOf(
      await this.call(this.conv, this.conv.markRead, {
        conversationId,
        businessId: this.businessId,
        staff: this.principal.name,
      }),
    );
  }

  async reply(
    conversationId: string,
    reply:
      | { requestId: string; text: string }
      | { requestId: string; template: { name: string; language: string; parameters: string[] } },
  ): Promise<{ messageId: string }> {
    const response = await this.call(this.conv, this.conv.reply, {
      conversationId,
      businessId: this.businessId,
      staff: this.principal.name,
      requestId: reply.requestId,
      text: 'text' in reply ? reply.text : '',
      template:
        'template' in reply
          ? {
              name: reply.template.name,
              language: reply.template.language,
              bodyParameters: reply.template.parameters,
            }
          : undefined,
    });
    return { messageId: response.messageId };
  }

  /** Read fresh, not remembered: an owner who just saved sees what the service has now. */
  async settings(): Promise<Settings> {
    this.deps.directory.forget(this.businessId);
    const [business, menu] = await Promise.all([
      this.business(),
      this.call(this.rsv, this.rsv.getMenu, { businessId: this.businessId, category: '' }),
    ]);
    return toSettings(business, menu.categories);
  }

  async changeSettings(change: {
    name?: string;
    rules?: Settings['rules'];
    hours?: Settings['hours'];
    greetings?: Record<string, string>;
    templates?: Settings['templates'];
    bookingFlowId?: string;
    waitlist?: Settings['waitlist'];
    followUps?: Settings['followUps'];
  }): Promise<Settings> {
    if (change.hours) {
      await this.call(this.rsv, this.rsv.setOpeningHours, {
        businessId: this.businessId,
        hours: toProtoHours(change.hours),
      });
    }
    const { bookingFlowId } = change;
    if (
      change.name !== undefined ||
      change.rules ||
      change.greetings ||
      change.templates ||
      change.waitlist ||
      change.followUps ||
      bookingFlowId !== undefined
    ) {
      await this.call(this.rsv, this.rsv.updateBusinessSettings, {
        businessId: this.businessId,
        name: change.name,
        rules: change.rules,
        greetings: change.greetings ?? {},
        hasGreetings: change.greetings !== undefined,
        templates: change.templates && {
          items: change.templates.map(({ purpose, ...template }) => ({
            ...template,
            purpose: purpose === 'staff' ? '' : purpose,
          })),
        },
        bookingFlowId,
        waitlist: change.waitlist,
        followUps: change.followUps && followUpsToProto(change.followUps),
      });
    }
    this.deps.sheets.invalidateBusiness(this.businessId);
    return this.settings();
  }

  async setMenuItem(itemId: string, item: Omit<Settings['menu'][number], 'itemId'>): Promise<Settings> {
    await this.call(this.rsv, this.rsv.setMenuItem, {
      businessId: this.businessId,
      item: { id: itemId, ...item },
    });
    return this.settings();
  }

  async removeMenuItem(itemId: string): Promise<Settings> {
    await this.call(this.rsv, this.rsv.removeMenuItem, { businessId: this.businessId, itemId });
    return this.settings();
  }

  staff() {
    return this.deps.staff.members(this.businessId);
  }

  addStaff(input: { email: string; name: string; role: Role }) {
    return this.deps.staff.add({ ...input, businessId: this.businessId });
  }

  async removeStaff(staffId: string): Promise<void> {
    if (!(await this.deps.staff.removeMembership(this.businessId, staffId))) throw notFound();
  }

  tokens() {
    return this.deps.tokens.list(this.businessId);
  }

  createToken(input: { name: string; role: Role }) {
    return this.deps.tokens.create({
      ...input,
      businessId: this.businessId,
      createdBy: this.principal.staffId,
    });
  }

  async revokeToken(tokenId: string): Promise<void> {
    if (!(await this.deps.tokens.revoke(this.businessId, tokenId))) throw notFound();
  }
}
