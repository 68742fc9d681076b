import { CONVERSATION_EVENT_TYPES, type ConversationTurnRecorded } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { historyRow } from '../src/projection.js';

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
    });
  });

  it('derives them from the event id for turns written before they were carried', () => {
    expect(historyRow(turn({}))).toMatchObject({ id: 'wamid.HBgL', direction: 'in', kind: 'text' });
    expect(
      historyRow(turn({ id: 'c_abc:wamid.HBgL:2:assistant', role: 'assistant', text: 'Welcome' })),
    ).toMatchObject({ id: 'c_abc:wamid.HBgL:2', direction: 'out', kind: 'text', intent: null });
  });
});
