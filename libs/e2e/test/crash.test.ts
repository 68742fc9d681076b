import type { Reservation } from '@reserveit/rpc/reservation/v1/reservation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_RECOVERY_ENV, type GuestIdentity, type Reply, type ServiceName } from '../src/index.js';
import {
  eventually,
  printOutputOnFailure,
  type SystemUnderTest,
  systemUnderTest,
} from './system-under-test.js';

const CONVERSATIONS = 200;
const IN_FLIGHT = 25;
const DAYS = 20;
const NAMES = ['Alex', 'Sara', 'Omar', 'Lena', 'Yusuf', 'Maya', 'Karim', 'Nora', 'Tariq', 'Hana'];

let sut: SystemUnderTest;
beforeAll(async () => {
  sut = await systemUnderTest({
    // Meta reports each accepted message in status webhooks (sent, then delivered) carrying its
    // biz_opaque_callback_data: what lets the restarted sender recognise a send it lost the answer to.
    echoStatuses: true,
    // A killed process's unacknowledged message comes back after AckWait / the lease.
    serviceEnv: FAST_RECOVERY_ENV,
  });
}, 120_000);
afterAll(async () => {
  await sut?.stop();
});
printOutputOnFailure(() => sut);

/** Service days from the day after tomorrow on, skipping the demo restaurant's closed day. */
function serviceDays(): string[] {
  const days: string[] = [];
  for (let offset = 2; days.length < DAYS; offset++) {
    const day = new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    if (day !== '2026-12-02') days.push(day);
  }
  return days;
}

describe('kill -9 in the middle of 200 conversations', () => {
  it('answers every inbound message exactly once and books each guest once when conversation, then sender, are killed and restarted', async () => {
    const { whatsapp, system } = sut;
    const days = serviceDays();
    const inbound: string[] = [];
    const lastReply = new Map<string, Reply>();
    let started = 0;
    let finished = 0;
    const crashes: { name: ServiceName; atConversation: number; killedMs: number; readyMs: number }[] = [];
    const crash = async (name: ServiceName) => {
      const at = finished;
      const t0 = Date.now();
      await system.kill(name, 'SIGKILL');
      const t1 = Date.now();
      await system.restart(name);
      crashes.push({ name, atConversation: at, killedMs: t1 - t0, readyMs: Date.now() - t1 });
    };
    const crashing: Promise<void>[] = [];
    const crashFailures: unknown[] = [];

    const converse = async (i: number) => {
      const name = NAMES[i % NAMES.length] ?? 'Alex';
      const guest: GuestIdentity = { waId: `9715${String(10_000_000 + i)}`, name };
      const day = days[i % DAYS];
      const ask = await whatsapp.text(guest, `Book a table for 2 on ${day} at 7pm, my name is ${name}`);
      inbound.push(ask);
      const summary = (
        await whatsapp.answerTo(ask, { timeoutMs: 60_000, until: (replies) => replies.length >= 1 })
      ).at(-1);
      const confirm = summary?.buttons.find((b) => b.title === 'Confirm');
      if (!summary || !confirm)
        throw new Error(`guest ${i}: no confirm button in ${JSON.stringify(summary)}`);
      const tap = await whatsapp.tap(guest, confirm, summary);
      inbound.push(tap);
      const booked = (
        await whatsapp.answerTo(tap, { timeoutMs: 60_000, until: (replies) => replies.length >= 1 })
      ).at(-1);
      if (booked) lastReply.set(guest.waId, booked);
    };

    const worker = async () => {
      while (started < CONVERSATIONS) {
        const i = started++;
        // Kill mid-run, while other conversations are being answered, without waiting for it here.
        if (i === Math.floor(CONVERSATIONS / 4))
          crashing.push(crash('conversation').catch((e: unknown) => void crashFailures.push(e)));
        if (i === Math.floor((CONVERSATIONS * 3) / 5))
          crashing.push(crash('sender').catch((e: unknown) => void crashFailures.push(e)));
        await converse(i);
        finished++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await Promise.all(crashing);
    expect(crashFailures).toEqual([]);
    expect(crashes.map((c) => c.name)).toEqual(['conversation', 'sender']);

    // Late duplicates would come after a reconcile window or a redelivery: give them time to show.
    await whatsapp.settleEchoes();
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(inbound).toHaveLength(CONVERSATIONS * 2);
    const unanswered = inbound.filter((wamid) => whatsapp.repliesTo(wamid).length === 0);
    expect(unanswered).toEqual([]);
    const delivered = new Map<string, number>();
    for (const reply of whatsapp.replies()) {
      if (reply.status === 200) delivered.set(reply.key, (delivered.get(reply.key) ?? 0) + 1);
    }
    const twice = [...delivered].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);
    // Greeting and summary in one message for the first message, the confirmation for the tap.
    expect(delivered.size).toBe(CONVERSATIONS * 2);
    expect([...lastReply.values()].filter((r) => !r.text.startsWith("You're booked"))).toEqual([]);

    const booked: Reservation[] = [];
    for (const date of days) booked.push(...(await sut.reservations.list({ date })));
    const perGuest = new Map<string, number>();
    for (const r of booked) perGuest.set(r.guestWaId, (perGuest.get(r.guestWaId) ?? 0) + 1);
    expect(perGuest.size).toBe(CONVERSATIONS);
    expect([...perGuest.values()].every((n) => n === 1)).toBe(true);
    await eventually('statuses to settle', () => (whatsapp.echoFailures === 0 ? true : undefined), 1_000);
    console.info(`crashes: ${JSON.stringify(crashes)}`);
  }, 180_000);
});
