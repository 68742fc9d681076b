import { describe, expect, it } from 'vitest';
import { crossCheckEntities } from '../src/llm/entity-cross-check.js';

describe("an LLM's entities checked against the rules' reading of the text", () => {
  it("keeps the rules' date, time and count where the LLM differs, and names each disagreement", () => {
    expect(
      crossCheckEntities(
        { date: '2026-11-24', time: '20:00', partySize: 4, guestName: 'Dana' },
        { date: '2026-11-27', time: '20:00', partySize: 3 },
      ),
    ).toEqual({
      entities: { date: '2026-11-27', time: '20:00', partySize: 3, guestName: 'Dana' },
      disagreements: ['date', 'partySize'],
    });
  });

  it('keeps what only the LLM read, and adds what only the rules read, without calling it a disagreement', () => {
    expect(crossCheckEntities({ time: '21:30' }, { date: '2026-11-23' })).toEqual({
      entities: { time: '21:30', date: '2026-11-23' },
      disagreements: [],
    });
  });
});
