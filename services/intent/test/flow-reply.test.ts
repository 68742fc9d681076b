import { describe, expect, it } from 'vitest';
import { type InterpretInput, interpretWithRules } from '../src/nlu/index.js';

const flowReply = (responseJson: string, localeHint = 'en'): InterpretInput => ({
  text: 'Sent',
  localeHint,
  conversationId: '',
  timeZone: 'Asia/Dubai',
  now: new Date('2026-11-23T15:00:00Z'),
  interactive: { kind: 'nfm_reply', id: responseJson, title: 'Sent' },
});

describe('a completed booking Flow (nfm_reply)', () => {
  it('is a booking with every slot filled, the party size read from the dropdown string', () => {
    const json = JSON.stringify({
      flow_token: 'book.demo-dubai.n1',
      date: '2026-11-27',
      time: '20:30',
      party_size: '4',
      name: '  Layla  ',
    });
    expect(interpretWithRules(flowReply(json))).toEqual({
      intent: 'BOOK',
      entities: { date: '2026-11-27', time: '20:30', partySize: 4, guestName: 'Layla' },
      language: 'en',
      confidence: 1,
      answer: false,
    });
  });

  it('is not read as a booking when it is not our booking Flow or not JSON: its title "Sent" says nothing', () => {
    for (const json of [
      JSON.stringify({
        flow_token: 'survey-1',
        date: '2026-11-27',
        time: '20:30',
        party_size: '4',
        name: 'L',
      }),
      JSON.stringify({
        flow_token: 'book.demo-dubai.n1',
        date: 'friday',
        time: '20:30',
        party_size: '4',
        name: 'L',
      }),
      '{"flow_token":',
    ]) {
      expect(interpretWithRules(flowReply(json)).intent, json).not.toBe('BOOK');
    }
  });
});
