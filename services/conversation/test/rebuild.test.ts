import { CONVERSATION_EVENT_TYPES, type ConversationTurnRecorded } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import type { ConversationEvent } from '../src/decider/index.js';
import { initialState } from '../src/dialogue/index.js';
import { historyRow, PREVIEW_LENGTH, previewOf, tableRows } from '../src/projection.js';

const turn = (overrides: Partial<ConversationTurnRecorded>): ConversationTurnRecorded => ({
  v: 1,
  id: 'c_abc:wamid.HBgL:guest',
  type: CONVERSATION_EVENT_TYPES.turnRecorded,
  conversationId: 'c_abc',
  businessId: 'biz',
  occurredAt: '2026-11-23T10:00:00.000Z',
  role: 'guest',
  text: 'hi',
  ...overrides,
});

describe('historyRow', () => {
  it('takes the message id and kind the turn carries', () => {
    expect(historyRow(turn({ messageId: 'wamid.HBgL', kind: 'interactive', intent: 'BOOK' }))).toEqual({
      conversation_id: 'c_abc',
      id: 'wamid.HBgL',
      direction: 'in',
      kind: 'interactive',
      text: 'hi',
      intent: 'BOOK',
      at: '2026-11-23T10:00:00.000Z',
      author: 'guest',
    });
  });

  it('derives them from the event id for turns written before they were carried', () => {
    expect(historyRow(turn({}))).toMatchObject({ id: 'wamid.HBgL', direction: 'in', kind: 'text' });
    expect(
      historyRow(turn({ id: 'c_abc:wamid.HBgL:2:assistant', role: 'assistant', text: 'Welcome' })),
    ).toMatchObject({ id: 'c_abc:wamid.HBgL:2', direction: 'out', kind: 'text', intent: null });
  });
});

describe('tableRows', () => {
  const AT = '2026-11-23T10:00:00.000Z';
  const state = (causationId: string, dialogue: Record<string, unknown>): ConversationEvent => ({
    v: 1,
    id: `c_abc:${causationId}:state`,
    type: 'conversation.state.changed',
    conversationId: 'c_abc',
    occurredAt: AT,
    causationId,
    businessId: 'biz',
    phoneNumberId: 'pnid',
    phase: 'idle',
    state: dialogue,
    guestId: '971500000001',
  });

  it('names who wrote each message, and keeps the last one as the preview and the inbox’s handoff columns', () => {
    const staffKey = 'c_abc:staff:s1:1';
    const dialogue = {
      ...initialState(AT),
      lastInboundAt: AT,
      handoff: { by: 'guest', since: AT, until: AT, staff: 'maria' },
    };
    const rows = tableRows([
      turn({ messageId: 'wamid.HBgL' }),
      turn({
        id: 'c_abc:wamid.HBgL:1:assistant',
        role: 'assistant',
        text: 'Welcome',
        messageId: 'c_abc:wamid.HBgL:1',
      }),
      state('wamid.HBgL', {
        ...initialState(AT),
        lastInboundAt: AT,
        handoff: { ...dialogue.handoff, waitingSince: AT },
      }),
      {
        v: 1,
        id: `${staffKey}:requested`,
        type: 'conversation.staff.replied',
        conversationId: 'c_abc',
        occurredAt: AT,
        causationId: 'staff:s1',
        businessId: 'biz',
        commandId: staffKey,
        staff: 'maria',
      },
      turn({
        id: `${staffKey}:assistant`,
        role: 'assistant',
        text: `Maria here. ${'x'.repeat(200)}`,
        messageId: staffKey,
      }),
      state('staff:s1', dialogue),
    ]);
    expect(rows.messages.map((m) => m.author)).toEqual(['guest', 'bot', 'staff:maria']);
    expect(rows.conversations).toEqual([
      expect.objectContaining({
        waiting_since: null,
        taken_by: 'maria',
        last_inbound_at: AT,
        preview: `Maria here. ${'x'.repeat(PREVIEW_LENGTH - 12)}`,
      }),
    ]);
    // The first decision's row, alone: the guest was waiting, nobody had it yet.
    const first = tableRows([
      turn({ messageId: 'wamid.HBgL' }),
      state('wamid.HBgL', {
        ...initialState(AT),
        handoff: { by: 'guest', since: AT, until: AT, waitingSince: AT },
      }),
    ]);
    expect(first.conversations[0]).toMatchObject({ waiting_since: AT, taken_by: null, preview: 'hi' });
  });

  it('never cuts an emoji in half for the preview', () => {
    const text = `${'a'.repeat(PREVIEW_LENGTH - 1)}😀`;
    expect(previewOf(text)).toBe('a'.repeat(PREVIEW_LENGTH - 1));
    expect(previewOf('short 😀')).toBe('short 😀');
  });
});
