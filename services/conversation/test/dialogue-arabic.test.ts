import { describe, expect, it } from 'vitest';
import { type CallResult, initialState } from '../src/dialogue/index.js';
import {
  bodies,
  buttonsOf,
  greeted,
  NOW,
  reservation,
  TOMORROW,
  tap,
  turn,
  when,
} from './dialogue-fixtures.js';

describe('Arabic', () => {
  it('books in Arabic from greeting to confirmation, with Arabic questions and buttons', async () => {
    const s0 = await when(initialState(NOW), turn('السلام عليكم', { intent: 'GREETING', language: 'ar' }));
    expect(s0.replies[0]?.body).toContain('كيف يمكنني مساعدتك اليوم؟');
    expect(buttonsOf(s0.replies[0]).map((b) => b.title)).toEqual(['حجز طاولة', 'المنيو', 'مواعيد العمل']);
    const s1 = await when(
      s0.state,
      turn('أبغى أحجز طاولة لـ ٤ أشخاص بكرة', {
        intent: 'BOOK',
        entities: { partySize: 4, date: TOMORROW },
        language: 'ar',
      }),
    );
    expect(bodies(s1.replies)).toEqual(['حسنًا، طاولة لعدد 4 أشخاص. في أي ساعة؟']);
    const s2 = await when(
      s1.state,
      turn('الساعة ٨ مساء', { intent: 'OTHER', entities: { time: '20:00' }, language: 'ar' }),
      [available()],
    );
    expect(bodies(s2.replies)).toEqual([
      'خبر سار: تتوفر طاولة لعدد 4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00.\nباسم من أسجل الحجز؟',
    ]);
    const s3 = await when(
      s2.state,
      turn('محمد', { intent: 'OTHER', entities: { guestName: 'محمد' }, language: 'ar' }),
    );
    expect(s3.calls).toEqual([]);
    expect(s3.replies[0]?.body).toBe(
      'طاولة لعدد 4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00 باسم محمد. هل أؤكد الحجز؟',
    );
    expect(buttonsOf(s3.replies[0]).map((b) => b.title)).toEqual(['تأكيد', 'تعديل', 'إلغاء']);
    const s4 = await when(s3.state, tap('confirm:yes', 'تأكيد'), [
      { kind: 'created', result: { ok: true, reservation: reservation({ name: 'محمد' }) } },
    ]);
    expect(bodies(s4.replies)[0]).toMatch(
      /^تم الحجز: طاولة لعدد 4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00 باسم محمد\. رقم الحجز 44CVMT\./,
    );
  });

  it('keeps Arabic slot buttons within 20 characters', async () => {
    const { replies } = await when(
      greeted('ar'),
      turn('x', {
        intent: 'BOOK',
        entities: { partySize: 2, date: TOMORROW, time: '20:00', guestName: 'علي' },
        language: 'ar',
      }),
      [
        {
          kind: 'availability',
          result: {
            ok: true,
            preferredAvailable: false,
            alternatives: [
              { date: '2026-11-25', time: '20:00' },
              { date: TOMORROW, time: '21:00' },
            ],
          },
        },
      ],
    );
    expect(buttonsOf(replies[0])).toEqual([
      { id: 'slot:2026-11-25T20:00', title: '25/11 20:00' },
      { id: `slot:${TOMORROW}T21:00`, title: '21:00' },
    ]);
    expect(replies[0]?.body).toContain('هذه أقرب الأوقات المتاحة');
  });

  it('answers opening hours and the handoff in Arabic', async () => {
    const hours = await when(greeted('ar'), turn('متى تفتحون', { intent: 'HOURS', language: 'ar' }));
    expect(bodies(hours.replies)[0]).toContain('الاثنين – الخميس: 12:00–15:00، 18:00–23:30');
    expect(bodies(hours.replies)[0]).toContain('الأحد: مغلق');
    const human = await when(greeted('ar'), turn('ابغى اكلم موظف', { intent: 'HUMAN', language: 'ar' }));
    expect(bodies(human.replies)).toEqual(['سيرد عليك أحد أفراد فريقنا هنا قريبًا.']);
  });

  it('keeps answering in Arabic when a message carries no language ("4")', async () => {
    const s1 = await when(
      greeted('ar'),
      turn('حجز', { intent: 'BOOK', entities: { date: TOMORROW, time: '20:00' }, language: 'ar' }),
    );
    const s2 = await when(
      s1.state,
      {
        ...turn('4', { intent: 'OTHER', entities: { partySize: 4 } }),
        understanding: { intent: 'OTHER', entities: { partySize: 4 }, source: 'rules' },
      },
      [available()],
    );
    expect(s2.state.language).toBe('ar');
    expect(bodies(s2.replies)).toEqual([
      'خبر سار: تتوفر طاولة لعدد 4 أشخاص يوم الثلاثاء 24 نوفمبر الساعة 20:00.\nباسم من أسجل الحجز؟',
    ]);
  });
});

function available(): CallResult {
  return { kind: 'availability', result: { ok: true, preferredAvailable: true, alternatives: [] } };
}
