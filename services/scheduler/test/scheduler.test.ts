import { RESERVATION_EVENT_TYPES as T } from '@reserveit/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BUSINESS,
  created,
  eventually,
  registered,
  type SchedulerHarness,
  schedulerHarness,
} from './scheduler-under-test.js';

const reminders = {
  enabled: true,
  offsetsMinutes: [24 * 60, 120],
  quietHours: null,
  templateName: 'booking_reminder',
};

/** A Prometheus counter's sum over the series whose labels include `labels`. */
async function counted(address: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${address}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('scheduler', () => {
  let h: SchedulerHarness;
  beforeEach(async () => {
    h = await schedulerHarness();
    // graphile-worker picks due jobs by Node's clock (useNodeTime): the test moves that clock.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.cleanup();
  });

  it('hands each reminder over once at its local time across the spring DST change, moved by a modification, through a restart and a second replica; a cancelled booking gets none', async () => {
    vi.setSystemTime(new Date('2027-03-25T10:00:00Z'));
    let planner = await h.start();
    await h.start({ SCHEDULER_INTAKE: 'false' });
    await h.append(registered({ reminders }));
    // 20:00 in Madrid on 2027-03-28, the day the clocks go forward (CEST, 18:00Z).
    await h.append(created('r1', '2027-03-28T18:00:00.000Z', '2027-03-28', '2027-03-25T10:00:00.000Z'));
    await h.append(created('r2', '2027-03-28T18:00:00.000Z', '2027-03-28', '2027-03-25T10:00:00.000Z'));
    await h.append({
      v: 1,
      id: 'r2:cancelled',
      at: '2027-03-25T10:01:00.000Z',
      type: T.reservationCancelled,
      reservationId: 'r2',
      businessId: BUSINESS,
      serviceDate: '2027-03-28',
      reason: '',
    });
    await eventually(h.queued, (jobs) => jobs.size === 2 && jobs.has('reminder:r1:0'));
    expect(Object.fromEntries(await h.queued())).toEqual({
      // The eve's 20:00 is still winter time (CET, 19:00Z): 23 elapsed hours, one calendar day.
      'reminder:r1:0': '2027-03-27T19:00:00.000Z',
      'reminder:r1:1': '2027-03-28T16:00:00.000Z',
    });

    await h.append({
      v: 1,
      id: 'r1:modified',
      at: '2027-03-25T11:00:00.000Z',
      type: T.reservationModified,
      reservationId: 'r1',
      businessId: BUSINESS,
      serviceDate: '2027-03-28',
      partySize: 3,
      startsAt: '2027-03-28T19:00:00.000Z',
      endsAt: '2027-03-28T21:00:00.000Z',
    });
    const moved = await eventually(
      h.queued,
      (jobs) => jobs.get('reminder:r1:0') === '2027-03-27T20:00:00.000Z',
    );
    expect(Object.fromEntries(moved)).toEqual({
      'reminder:r1:0': '2027-03-27T20:00:00.000Z',
      'reminder:r1:1': '2027-03-28T17:00:00.000Z',
    });

    vi.setSystemTime(new Date('2027-03-27T20:00:05Z'));
    await eventually(h.due, (due) => due.length === 1);
    // A restart between the two reminders.
    await planner.close();
    planner = await h.start();
    vi.setSystemTime(new Date('2027-03-28T17:00:05Z'));
    await eventually(h.due, (due) => due.length === 2);
    await eventually(h.queued, (jobs) => jobs.size === 0);

    const due = await h.due();
    expect(
      due.map((work) => [
        work.key,
        work.dueAt,
        work.work.kind,
        'reservationId' in work.work && work.work.reservationId,
      ]),
    ).toEqual([
      ['reminder:r1:0', '2027-03-27T20:00:00.000Z', 'reminder', 'r1'],
      ['reminder:r1:1', '2027-03-28T17:00:00.000Z', 'reminder', 'r1'],
    ]);
    expect(due.map((work) => work.id)).toEqual(due.map((work) => `${work.key}@${work.dueAt}`));
  });

  it('hands 200 reminders due at once to two replicas and publishes each exactly once', async () => {
    vi.setSystemTime(new Date('2027-06-01T08:00:00Z'));
    const a = await h.start({ SCHEDULER_BATCH: '8' });
    const b = await h.start({ SCHEDULER_INTAKE: 'false', SCHEDULER_BATCH: '8' });
    await h.append(registered({ reminders: { ...reminders, offsetsMinutes: [120] } }));
    for (let n = 0; n < 200; n++) {
      await h.append(created(`s${n}`, '2027-06-03T18:00:00.000Z', '2027-06-03', '2027-06-01T08:00:00.000Z'));
    }
    await eventually(h.queued, (jobs) => jobs.size === 200);
    vi.setSystemTime(new Date('2027-06-03T16:00:01Z'));
    await eventually(h.due, (due) => due.length === 200, 30_000);
    await eventually(h.queued, (jobs) => jobs.size === 0);

    const due = await h.due();
    expect(new Set(due.map((work) => work.key)).size).toBe(200);
    const published =
      (await counted(a.address, 'scheduler_work_due_total', 'outcome="published"')) +
      (await counted(b.address, 'scheduler_work_due_total', 'outcome="published"'));
    const duplicates =
      (await counted(a.address, 'scheduler_work_due_total', 'outcome="duplicate"')) +
      (await counted(b.address, 'scheduler_work_due_total', 'outcome="duplicate"'));
    expect({ published, duplicates }).toEqual({ published: 200, duplicates: 0 });
  });
});
