import {
  type BookingRules,
  type BusinessEvent,
  type BusinessProfile,
  type FollowUpSettings,
  type MenuItem,
  type MessageTemplate,
  type OpeningHours,
  RESERVATION_EVENT_TYPES as T,
  type WaitlistSettings,
} from '@reserveit/contracts';
import { type Rejection, reject } from './rejection.js';

export interface Business {
  businessId: string;
  profile: BusinessProfile;
  hours: OpeningHours;
  menu: ReadonlyMap<string, MenuItem>;
}

/** The business aggregate: undefined until registered. */
export type BusinessState = Business | undefined;

export type BusinessCommand =
  | { type: 'register'; businessId: string; profile: BusinessProfile; hours: OpeningHours; menu: MenuItem[] }
  | { type: 'setHours'; businessId: string; hours: OpeningHours }
  | { type: 'setMenuItem'; businessId: string; item: MenuItem }
  | { type: 'removeMenuItem'; businessId: string; itemId: string }
  /** The owner's settings: each part given replaces the business's, the others stay. */
  | { type: 'setSettings'; businessId: string; settings: BusinessSettings };

export interface BusinessSettings {
  name?: string;
  rules?: BookingRules;
  greetings?: Record<string, string>;
  templates?: MessageTemplate[];
  bookingFlowId?: string;
  waitlist?: WaitlistSettings;
  followUps?: FollowUpSettings;
}

export interface BusinessContext {
  nowMs: number;
  newEventId(): string;
  /** Which business holds a phone_number_id now (phone_number_id is unique across tenants). */
  ownerOfPhoneNumber(phoneNumberId: string): string | undefined;
}

export type BusinessDecision = { ok: true; events: BusinessEvent[] } | { ok: false; rejection: Rejection };

export function decideBusiness(
  command: BusinessCommand,
  state: BusinessState,
  ctx: BusinessContext,
): BusinessDecision {
  const base = { v: 1 as const, at: new Date(ctx.nowMs).toISOString(), businessId: command.businessId };
  switch (command.type) {
    case 'register': {
      if (state)
        return fail(reject('BUSINESS_EXISTS', `Business ${command.businessId} is registered already.`));
      const owner = ctx.ownerOfPhoneNumber(command.profile.phoneNumberId);
      if (owner && owner !== command.businessId) {
        return fail(reject('PHONE_NUMBER_TAKEN', `That phone_number_id belongs to business ${owner}.`));
      }
      const itemIds = new Set(command.menu.map((item) => item.itemId));
      if (itemIds.size !== command.menu.length)
        return fail(reject('INVALID_ARGUMENT', 'Menu item ids must be unique.'));
      return {
        ok: true,
        events: [
          {
            ...base,
            id: ctx.newEventId(),
            type: T.businessRegistered,
            profile: command.profile,
            hours: command.hours,
          },
          ...command.menu.map((item) => ({ ...base, id: ctx.newEventId(), type: T.menuItemSet, item })),
        ],
      };
    }
    case 'setHours':
      if (!state) return notFound(command.businessId);
      return {
        ok: true,
        events: [{ ...base, id: ctx.newEventId(), type: T.businessHoursSet, hours: command.hours }],
      };
    case 'setMenuItem':
      if (!state) return notFound(command.businessId);
      return {
        ok: true,
        events: [{ ...base, id: ctx.newEventId(), type: T.menuItemSet, item: command.item }],
      };
    case 'removeMenuItem':
      if (!state) return notFound(command.businessId);
      if (!state.menu.has(command.itemId))
        return fail(reject('NOT_FOUND', `No menu item ${command.itemId}.`));
      return {
        ok: true,
        events: [{ ...base, id: ctx.newEventId(), type: T.menuItemRemoved, itemId: command.itemId }],
      };
    case 'setSettings': {
      if (!state) return notFound(command.businessId);
      const { name, rules, greetings, templates, bookingFlowId, waitlist, followUps } = command.settings;
      const parts = {
        ...(name !== undefined ? { name } : {}),
        ...(rules !== undefined ? { rules } : {}),
        ...(greetings !== undefined ? { greetings } : {}),
        ...(templates !== undefined ? { templates } : {}),
        ...(bookingFlowId !== undefined ? { bookingFlowId } : {}),
        ...(waitlist !== undefined ? { waitlist } : {}),
        ...(followUps !== undefined ? { followUps } : {}),
      };
      if (Object.keys(parts).length === 0) {
        return fail(
          reject(
            'INVALID_ARGUMENT',
            'Give at least one of name, rules, greetings, templates, booking Flow id, waitlist, follow-ups.',
          ),
        );
      }
      return {
        ok: true,
        events: [{ ...base, id: ctx.newEventId(), type: T.businessSettingsSet, ...parts }],
      };
    }
    default:
      return exhaustive(command);
  }
}

export function evolveBusiness(state: BusinessState, event: BusinessEvent): BusinessState {
  switch (event.type) {
    case T.businessRegistered:
      return { businessId: event.businessId, profile: event.profile, hours: event.hours, menu: new Map() };
    case T.businessHoursSet:
      return state && { ...state, hours: event.hours };
    case T.menuItemSet:
      return state && { ...state, menu: new Map(state.menu).set(event.item.itemId, event.item) };
    case T.menuItemRemoved: {
      if (!state) return state;
      const menu = new Map(state.menu);
      menu.delete(event.itemId);
      return { ...state, menu };
    }
    case T.businessSettingsSet: {
      if (!state) return state;
      const profile = { ...state.profile };
      if (event.name !== undefined) profile.name = event.name;
      if (event.rules !== undefined) profile.rules = event.rules;
      if (event.greetings !== undefined) profile.greetings = event.greetings;
      if (event.templates !== undefined) profile.templates = event.templates;
      if (event.bookingFlowId !== undefined) profile.bookingFlowId = event.bookingFlowId;
      if (event.waitlist !== undefined) profile.waitlist = event.waitlist;
      if (event.followUps !== undefined) profile.followUps = event.followUps;
      return { ...state, profile };
    }
    default:
      return exhaustive(event);
  }
}

const fail = (rejection: Rejection): BusinessDecision => ({ ok: false, rejection });
const notFound = (businessId: string): BusinessDecision =>
  fail(reject('NOT_FOUND', `No business ${businessId}.`));

function exhaustive(value: never): never {
  throw new Error(`unhandled ${JSON.stringify(value)}`);
}
