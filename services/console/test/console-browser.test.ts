import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { jetstream } from '@nats-io/jetstream';
import { SCHEDULED_WORK_TYPES, topology, type WorkDue, workDueId } from '@reserveit/contracts';
import { findRepoRoot } from '@reserveit/localstack';
import { publish } from '@reserveit/messaging';
import { channelCredentials, unaryCall } from '@reserveit/rpc';
import { GuestAnswer, ReservationServiceClient } from '@reserveit/rpc/reservation/v1/reservation';
import { devCallerOptions } from '@reserveit/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  A,
  B,
  type ConsoleClient,
  type ConsoleUnderTest,
  consoleUnderTest,
  PASSWORD,
} from './console-under-test.js';

/** Debian's chromium (deploy/local/test.sh installs it); CHROMIUM_PATH for another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(findRepoRoot(), '.local', 'screenshots');
/** A tablet at the host stand, in portrait. */
const TABLET = { width: 768, height: 1024 };

/**
 * The fixed-offset zone where it is about noon now, so a booking "today" is inside opening hours
 * whenever the test runs (Etc/GMT signs are inverted: Etc/GMT-4 is UTC+4).
 */
function middayZone(): string {
  let offset = 12 - new Date().getUTCHours();
  if (offset > 12) offset -= 24;
  if (offset < -11) offset += 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

const zone = middayZone();
const allWeek = Object.fromEntries(
  ['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ start: '06:00', end: '23:30' }]]),
);

let t: ConsoleUnderTest;
let browser: Browser;
let hostA: ConsoleClient;
let today: string;
/** A slot time an hour or two from now, in the restaurant's zone. */
let soon: (hoursAhead: number) => string;

beforeAll(async () => {
  t = await consoleUnderTest({
    editSeed: (business) => {
      business.profile.timezone = zone;
      business.hours.weekly = allWeek;
    },
  });
  await t.staff.add({
    email: 'hana@example.com',
    name: 'Hana',
    businessId: A,
    role: 'host',
    password: PASSWORD,
  });
  await t.staff.add({
    email: 'nour@example.com',
    name: 'Nour',
    businessId: A,
    role: 'owner',
    password: PASSWORD,
  });
  await t.staff.add({
    email: 'bilal@example.com',
    name: 'Bilal',
    businessId: B,
    role: 'host',
    password: PASSWORD,
  });
  hostA = await t.signIn('hana@example.com');
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const part = (type: string) => Number(local.find((p) => p.type === type)?.value);
  today = `${local.find((p) => p.type === 'year')?.value}-${local.find((p) => p.type === 'month')?.value}-${local.find((p) => p.type === 'day')?.value}`;
  soon = (hoursAhead) => `${String(part('hour') + hoursAhead).padStart(2, '0')}:30`;
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function signIn(email: string, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, locale });
  const page = await context.newPage();
  await page.goto(`${t.url}/`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('day-heading').waitFor();
  return page;
}

async function book(guestName: string, time: string, partySize: number): Promise<string> {
  const { status, body } = await hostA.call('createReservation', {
    params: { businessId: A },
    body: {
      requestId: randomUUID(),
      guestName,
      phone: '+971501112233',
      walkIn: false,
      partySize,
      date: today,
      time,
      notes: '',
    },
  });
  if (status !== 201) throw new Error(`booking answered ${status}: ${JSON.stringify(body)}`);
  return body.id as string;
}

describe('the staff console in a browser', () => {
  let page: Page;
  let seatedId: string;
  let noShowId: string;
  let conversationId: string;
  const staffReply = `Hello from Hana at the host stand ${randomUUID().slice(0, 8)}`;

  it("shows a host today's bookings by slot, and seats one and marks another no-show", async () => {
    seatedId = await book('Layla Haddad', soon(1), 4);
    noShowId = await book('Omar Farouk', soon(2), 2);
    page = await signIn('hana@example.com');
    expect(await page.getByTestId('day-heading').getAttribute('data-date')).toBe(today);
    const layla = page.getByTestId(`booking-${seatedId}`);
    await expect.poll(() => layla.getByTestId('booking-name').textContent()).toContain('Layla Haddad');
    await expect.poll(() => layla.getByTestId('booking-party').textContent()).toContain('4');
    await page.screenshot({ path: join(SHOTS, 'day-view.png'), fullPage: true });

    await layla.getByTestId('booking-seat').click();
    await expect.poll(() => layla.getAttribute('data-status')).toBe('seated');
    const omar = page.getByTestId(`booking-${noShowId}`);
    await omar.getByTestId('booking-noShow').click();
    await expect.poll(() => omar.getAttribute('data-status')).toBe('no_show');

    const sheet = await hostA.call('day', { params: { businessId: A }, query: { date: today } });
    const statuses = Object.fromEntries(
      sheet.body.reservations.map((r: { id: string; status: string }) => [r.id, r.status]),
    );
    expect(statuses).toMatchObject({ [seatedId]: 'seated', [noShowId]: 'no_show' });
  });

  it('shows live on the day view that a guest confirmed from a reminder and is running late', async () => {
    const id = await book('Sara Reminded', soon(3), 2);
    const card = page.getByTestId(`booking-${id}`);
    await card.waitFor();
    expect(await card.getByTestId('booking-late').count()).toBe(0);
    // As the conversation service answers for the guest (reservation.v1 AnswerReminder).
    const client = new ReservationServiceClient(
      t.system.grpc.reservation,
      credentials.createInsecure(),
      devCallerOptions(),
    );
    try {
      const answer = (value: GuestAnswer, minutes = 0) =>
        unaryCall(
          client,
          client.answerReminder,
          { reservationId: id, businessId: A, answer: value, minutes },
          5_000,
        );
      await answer(GuestAnswer.GUEST_ANSWER_CONFIRMED);
      await answer(GuestAnswer.GUEST_ANSWER_RUNNING_LATE, 15);
    } finally {
      client.close();
    }
    await expect
      .poll(() => card.getByTestId('booking-late').textContent(), { timeout: 10_000 })
      .toBe('15 minutes late');
    expect(await card.getByTestId('booking-guest-confirmed').textContent()).toBe('Confirmed by the guest');
    await card.screenshot({ path: join(SHOTS, 'day-view-late.png') });
  });

  it('flags live on the day view a guest not seated after the grace time, when the scheduler hands the check over', async () => {
    const owner = await t.signIn('nour@example.com');
    const settings = (await owner.call('settings', { params: { businessId: A } })).body;
    await owner.call('changeSettings', {
      params: { businessId: A },
      body: { followUps: { ...settings.followUps, noShow: { ...settings.followUps.noShow, enabled: true } } },
    });
    const id = await book('Karim Absent', soon(3), 2);
    const card = page.getByTestId(`booking-${id}`);
    await card.waitFor();
    const day = await hostA.call('day', { params: { businessId: A }, query: { date: today } });
    const startsAt = day.body.reservations.find((r: { id: string }) => r.id === id)?.startsAt as string;
    // As the scheduler publishes the check when it comes due (libs/contracts/src/scheduled-work.ts).
    const dueAt = new Date(Date.parse(startsAt) + 20 * 60_000).toISOString();
    const work: WorkDue = {
      v: 1,
      type: SCHEDULED_WORK_TYPES.due,
      id: workDueId(`no-show:${id}`, dueAt),
      key: `no-show:${id}`,
      dueAt,
      at: dueAt,
      work: { kind: 'no_show_check', reservationId: id, businessId: A, serviceDate: today, startsAt },
    };
    await publish(jetstream(t.nats.nc), {
      subject: topology(t.nats.prefix).subjects.workDue(A),
      msgId: work.id,
      data: JSON.stringify(work),
      timeoutMs: 5_000,
    });
    await expect.poll(() => card.getByTestId('booking-no-show-flag').count(), { timeout: 10_000 }).toBe(1);
  });

  it("shows a guest's rating and comment live on the day view, with the day's average", async () => {
    const card = page.getByTestId(`booking-${seatedId}`);
    await card.waitFor();
    expect(await page.getByTestId('day-average-rating').count()).toBe(0);
    // As the conversation service records what the guest tapped and wrote (reservation.v1 GiveFeedback).
    const client = new ReservationServiceClient(
      t.system.grpc.reservation,
      credentials.createInsecure(),
      devCallerOptions(),
    );
    try {
      const give = (rating: number, comment: string) =>
        unaryCall(
          client,
          client.giveFeedback,
          { reservationId: seatedId, businessId: A, rating, comment },
          5_000,
        );
      await give(4, '');
      await give(0, 'Lovely lamb, a little slow');
    } finally {
      client.close();
    }
    await expect
      .poll(() => card.getByTestId('booking-rating').textContent(), { timeout: 10_000 })
      .toBe('Rated 4/5');
    await expect
      .poll(() => card.getByTestId('booking-feedback-comment').textContent(), { timeout: 10_000 })
      .toContain('Lovely lamb, a little slow');
    expect(await page.getByTestId('day-average-rating').textContent()).toBe('Average rating 4/5 (1 rated)');
    await page.screenshot({ path: join(SHOTS, 'day-view-rating.png'), fullPage: true });
  });

  it('flags in the inbox, live, a guest who rated their visit 2 or less, in English and Arabic', async () => {
    const guest = { waId: '971501119988', name: 'Rana Unhappy' };
    await t.whatsapp.text(guest, 'Hello');
    const created = await hostA.call('createReservation', {
      params: { businessId: A },
      body: {
        requestId: randomUUID(),
        guestName: 'Rana Unhappy',
        phone: `+${guest.waId}`,
        walkIn: false,
        partySize: 2,
        date: today,
        time: soon(2),
        notes: '',
      },
    });
    const id = created.body.id as string;
    await hostA.call('setReservationStatus', {
      params: { businessId: A, reservationId: id },
      body: { status: 'seated' },
    });
    await page.getByTestId('nav-inbox').click();
    const item = page.locator('[data-testid^="inbox-item-"]', { hasText: 'Rana Unhappy' });
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getByTestId('inbox-low-rating').count()).toBe(0);
    // As the scheduler hands the feedback request over once the party sat down.
    const dueAt = new Date().toISOString();
    const work: WorkDue = {
      v: 1,
      type: SCHEDULED_WORK_TYPES.due,
      id: workDueId(`feedback:${id}`, dueAt),
      key: `feedback:${id}`,
      dueAt,
      at: dueAt,
      work: {
        kind: 'feedback_request',
        reservationId: id,
        businessId: A,
        serviceDate: today,
        startsAt: dueAt,
      },
    };
    await publish(jetstream(t.nats.nc), {
      subject: topology(t.nats.prefix).subjects.workDue(A),
      msgId: work.id,
      data: JSON.stringify(work),
      timeoutMs: 5_000,
    });
    await expect
      .poll(() => t.whatsapp.replies().some((r) => r.to === guest.waId && r.rows.length === 5), {
        timeout: 10_000,
      })
      .toBe(true);
    await t.whatsapp.text(guest, '1');
    await expect
      .poll(() => item.getByTestId('inbox-low-rating').textContent(), { timeout: 10_000 })
      .toBe('Rated the visit 1/5: worth a reply');
    await page.screenshot({ path: join(SHOTS, 'inbox-low-rating.png'), fullPage: true });

    const arabic = await signIn('hana@example.com', 'ar');
    await arabic.getByTestId('nav-inbox').click();
    const arabicItem = arabic.locator('[data-testid^="inbox-item-"]', { hasText: 'Rana Unhappy' });
    await expect
      .poll(() => arabicItem.getByTestId('inbox-low-rating').textContent(), { timeout: 10_000 })
      .toBe('قيّم الزيارة 1/5: يستحق الرد');
    await arabic.screenshot({ path: join(SHOTS, 'inbox-low-rating-ar.png'), fullPage: true });
    await arabic.context().close();
  });

  it("shows a guest's message live, and the host takes over, replies once and releases", async () => {
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-search').waitFor();
    const guest = { waId: '971509998877', name: 'Mariam Live' };
    await t.whatsapp.text(guest, 'Good afternoon, is the terrace open?');
    const item = page.locator('[data-testid^="inbox-item-"]', { hasText: 'Mariam Live' });
    // No reload: the live stream brings it.
    await item.waitFor({ timeout: 10_000 });
    conversationId = ((await item.getAttribute('data-testid')) ?? '').replace('inbox-item-', '');

    await t.whatsapp.text(guest, 'Can I speak to a person please?');
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 10_000 }).toBe('waiting');

    await item.click();
    const conversation = page.getByTestId('conversation');
    await conversation.waitFor();
    await page.getByTestId('take-over').click();
    await expect.poll(() => conversation.getAttribute('data-state')).toBe('taken');
    await page.getByTestId('composer-text').fill(staffReply);
    await page.getByTestId('send').click();
    await page.locator('[data-testid^="message-"]', { hasText: staffReply }).waitFor();
    await expect
      .poll(() => t.whatsapp.replies().filter((reply) => reply.text === staffReply).length, {
        timeout: 10_000,
      })
      .toBe(1);
    await page.screenshot({ path: join(SHOTS, 'conversation.png'), fullPage: true });

    await page.getByTestId('release').click();
    await expect.poll(() => conversation.getAttribute('data-state')).toBe('bot');
    // Settled: the reply went out once, not again on a re-render or a retry.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.whatsapp.replies().filter((reply) => reply.text === staffReply)).toHaveLength(1);
  });

  it('shows a host of another restaurant none of it', async () => {
    const other = await signIn('bilal@example.com');
    expect(await other.locator(`[data-testid="booking-${seatedId}"]`).count()).toBe(0);
    await other.getByTestId('nav-inbox').click();
    await other.getByTestId('inbox-search').waitFor();
    expect(await other.locator('[data-testid^="inbox-item-"]', { hasText: 'Mariam Live' }).count()).toBe(0);
    // A link into A's conversation lands on B's own day view.
    await other.goto(`${t.url}/r/${A}/inbox/${encodeURIComponent(conversationId)}`);
    await other.getByTestId('day-heading').waitFor();
    expect(await other.getByTestId('restaurant-name').textContent()).toBe('Rival Bistro');
    expect(await other.getByText('Mariam Live').count()).toBe(0);
    expect(await other.getByText(staffReply).count()).toBe(0);
    await other.context().close();
  });

  it("lets an owner set the restaurant's booking Flow, which the guests' side then reads", async () => {
    const owner = await signIn('nour@example.com');
    await owner.getByTestId('nav-settings').click();
    const field = owner.getByTestId('settings-booking-flow-id');
    await field.waitFor();
    expect(await field.inputValue()).toBe('');
    await field.fill('1234567890123456');
    await owner.getByTestId('settings-general-save').click();
    await owner.getByTestId('settings-general').getByRole('status').waitFor();
    await owner.screenshot({ path: join(SHOTS, 'settings.png'), fullPage: true });
    const api = await t.signIn('nour@example.com');
    await expect
      .poll(async () => (await api.call('settings', { params: { businessId: A } })).body.bookingFlowId)
      .toBe('1234567890123456');
    await owner.context().close();
  });

  it("shows the day's waitlist: the party offered the covers a cancellation freed, in English and Arabic", async () => {
    const asStaff = new ReservationServiceClient(
      t.system.grpc.reservation,
      channelCredentials(undefined),
      devCallerOptions({ staff: true, restaurants: [A] }),
    );
    const asDialogue = new ReservationServiceClient(
      t.system.grpc.reservation,
      channelCredentials(undefined),
      devCallerOptions(),
    );
    try {
      const { business } = await unaryCall(asStaff, asStaff.getBusiness, { businessId: A }, 10_000);
      if (!business?.rules) throw new Error('no rules');
      await unaryCall(
        asStaff,
        asStaff.updateBusinessSettings,
        {
          businessId: A,
          greetings: {},
          hasGreetings: false,
          rules: { ...business.rules, capacityCovers: 6 },
          waitlist: { enabled: true, holdMinutes: 15 },
        },
        10_000,
      );
      // Clear of the earlier tests' bookings (theirs last two hours from soon(1)…soon(3)).
      const time = soon(7);
      const full = await book('Full Table', time, 6);
      await unaryCall(
        asDialogue,
        asDialogue.joinWaitlist,
        {
          businessId: A,
          idempotencyKey: `browser-wait-${randomUUID()}`,
          guestWaId: '971500004321',
          guestName: 'Salma Waiting',
          partySize: 2,
          date: today,
          time,
        },
        10_000,
      );
      const cancelled = await hostA.call('cancelReservation', {
        params: { businessId: A, reservationId: full },
        body: { reason: 'called to cancel' },
      });
      expect(cancelled.status).toBe(200);
    } finally {
      asStaff.close();
      asDialogue.close();
    }
    for (const [locale, shot, offered] of [
      ['en-US', 'waitlist.png', 'Offered'],
      ['ar', 'waitlist-ar.png', 'عُرضت عليه طاولة'],
    ] as const) {
      const host = await signIn('hana@example.com', locale);
      const entry = host.getByTestId('waitlist-entry').filter({ hasText: 'Salma Waiting' });
      await expect.poll(() => entry.getAttribute('data-status')).toBe('offered');
      expect(await entry.textContent()).toContain(offered);
      expect(await entry.textContent()).toContain('4321');
      await host.getByTestId('waitlist').screenshot({ path: join(SHOTS, shot) });
      await host.context().close();
    }
  });

  it("shows one guest's history from the inbox and from the day view, in English and Arabic", async () => {
    const host = await signIn('hana@example.com');
    await host.goto(`${t.url}/r/${A}/inbox/${encodeURIComponent(conversationId)}`);
    await host.getByTestId('guest-history').click();
    await host.getByTestId('timeline').waitFor();
    await expect
      .poll(() => host.getByTestId('timeline-message').filter({ hasText: staffReply }).count())
      .toBe(1);
    await host.screenshot({ path: join(SHOTS, 'timeline.png'), fullPage: true });
    await host.getByTestId('nav-day').click();
    await host.getByTestId(`booking-${seatedId}`).getByTestId('booking-history').click();
    // book() files every booking under one phone number: the same guest's visits, each with its status.
    const bookings = host.getByTestId('timeline-booking');
    await expect.poll(() => bookings.filter({ hasText: 'Seated' }).count()).toBe(1);
    await expect.poll(() => bookings.filter({ hasText: 'Cancelled' }).count()).toBeGreaterThanOrEqual(1);
    // What happened around the visits: the reminder's answers, the no-show flag, the rating.
    expect(await host.getByTestId('timeline-rating').textContent()).toContain(
      'Rated the visit 4/5 “Lovely lamb, a little slow”',
    );
    const answers = host.getByTestId('timeline-reminder_answer');
    expect(await answers.filter({ hasText: 'The guest confirmed they are coming' }).count()).toBe(1);
    expect(await answers.filter({ hasText: 'The guest is running late (15 min)' }).count()).toBe(1);
    expect(await host.getByTestId('timeline-no_show_flag').count()).toBe(1);
    await host.screenshot({ path: join(SHOTS, 'timeline-follow-ups.png'), fullPage: true });
    await host.context().close();

    const arabic = await signIn('hana@example.com', 'ar');
    await arabic.goto(`${t.url}/r/${A}/guest?reservationId=${encodeURIComponent(seatedId)}`);
    await arabic.getByTestId('timeline').waitFor();
    await expect
      .poll(() => arabic.getByRole('heading', { level: 2 }).textContent())
      .toContain('سجل Layla Haddad');
    expect(await arabic.getByTestId('timeline-rating').textContent()).toContain('قيّم الزيارة 4/5');
    expect(await arabic.getByTestId('timeline-no_show_flag').textContent()).toContain(
      'لم يصل بعد مهلة الانتظار',
    );
    await arabic.screenshot({ path: join(SHOTS, 'timeline-ar.png'), fullPage: true });
    await arabic.context().close();
  });

  it('lets an owner set reminders (hours before, quiet hours), the no-show check and feedback, which the reservation service then holds', async () => {
    const owner = await signIn('nour@example.com');
    await owner.getByTestId('nav-settings').click();
    const section = owner.getByTestId('settings-follow-ups');
    await section.waitFor();
    // The previous test turned the no-show check on: once the form shows it, no live "settings"
    // event of that change can remount the form under what is typed next.
    await expect.poll(() => owner.getByTestId('no-show-enabled').isChecked(), { timeout: 10_000 }).toBe(true);
    await owner.getByTestId('reminder-offsets').fill('48, 3');
    await owner.getByTestId('quiet-start').fill('23:00');
    await owner.getByTestId('quiet-end').fill('07:30');
    await owner.getByTestId('no-show-grace').fill('25');
    await owner.getByTestId('feedback-enabled').check();
    await owner.getByTestId('settings-follow-ups-save').click();
    await section.getByRole('status').waitFor();
    await owner.screenshot({ path: join(SHOTS, 'settings-follow-ups.png'), fullPage: true });
    const api = await t.signIn('nour@example.com');
    await expect
      .poll(async () => (await api.call('settings', { params: { businessId: A } })).body.followUps, {
        timeout: 10_000,
      })
      .toMatchObject({
        reminders: {
          enabled: true,
          offsetsMinutes: [2880, 180],
          quietHours: { start: '23:00', end: '07:30' },
        },
        noShow: { enabled: true, graceMinutes: 25, autoMark: false },
        feedback: { enabled: true },
      });
    await owner.context().close();
  });

  it('returns to the login page when the session has ended', async () => {
    await page.getByTestId('nav-day').click();
    await page.getByTestId('day-heading').waitFor();
    await t.endSessions();
    // The next request (another day's bookings) is refused with 401.
    await page.getByTestId('day-next').click();
    await page.getByTestId('login-form').waitFor({ timeout: 10_000 });
  });
});
