import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathOf, type RouteName, routes } from '@reserveit/console-api';
import { FakeWhatsApp, type RunningSystem, startSystem } from '@reserveit/e2e';
import { findRepoRoot } from '@reserveit/localstack';
import { type TestDatabase, type TestNatsWithUsers, useDatabase, useNatsWithUsers } from '@reserveit/testkit';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { ConsoleDb } from '../src/database.js';
import { StaffAccounts } from '../src/staff-accounts.js';

export const A = 'demo-dubai';
export const B = 'rival-bistro';
export const B_PHONE_NUMBER_ID = '100000000000002';
export const PASSWORD = 'correct horse battery staple';

export interface ConsoleUnderTest {
  nats: TestNatsWithUsers;
  db: TestDatabase;
  whatsapp: FakeWhatsApp;
  system: RunningSystem;
  url: string;
  staff: StaffAccounts;
  /** Ends every session, as expiry would. */
  endSessions(): Promise<void>;
  /** A signed-in browser-like client (cookie jar, CSRF header). */
  signIn(email: string, password?: string): Promise<ConsoleClient>;
  stop(): Promise<void>;
}

export interface SeedBusiness {
  id: string;
  profile: { name: string; phoneNumberId: string; displayPhoneNumber: string; timezone: string };
  hours: { weekly: Record<string, { start: string; end: string }[]> };
}

export interface ConsoleOptions {
  /** Changes both restaurants of the seed before the reservation service reads it. */
  editSeed?: (business: SeedBusiness) => void;
  /** Extra console variables. */
  env?: Record<string, string>;
}

/** The demo restaurant and a second one (B) with its own WhatsApp number, as a seed file. */
async function twoRestaurantSeed(dir: string, edit: ConsoleOptions['editSeed']): Promise<string> {
  const seed = JSON.parse(await readFile(join(findRepoRoot(), 'deploy/local/seed.json'), 'utf8')) as {
    businesses: SeedBusiness[];
  };
  const demo = seed.businesses[0];
  if (!demo) throw new Error('deploy/local/seed.json has no business');
  const rival = structuredClone(demo);
  rival.id = B;
  rival.profile.name = 'Rival Bistro';
  rival.profile.phoneNumberId = B_PHONE_NUMBER_ID;
  rival.profile.displayPhoneNumber = '15550002222';
  if (edit) for (const business of [demo, rival]) edit(business);
  const path = join(dir, 'seed.json');
  await writeFile(path, JSON.stringify({ ...seed, businesses: [demo, rival] }));
  return path;
}

/** The five services and the console as processes, two restaurants, a fake WhatsApp on both sides. */
export async function consoleUnderTest(options: ConsoleOptions = {}): Promise<ConsoleUnderTest> {
  // Every service, the console too, as its own NATS user with the allow-lists of its prefix.
  const nats = await useNatsWithUsers();
  const db = await useDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'console-test-'));
  const whatsapp = await FakeWhatsApp.start();
  let system: RunningSystem;
  try {
    system = await startSystem({
      natsUrl: nats.url,
      prefix: nats.prefix,
      databaseUrl: db.url,
      graphBaseUrl: whatsapp.graphBaseUrl,
      serviceEnv: { reservation: { RESERVATION_SEED_FILE: await twoRestaurantSeed(dir, options.editSeed) } },
      console: {
        env: { CONSOLE_LOGIN_MAX_FAILURES: '5', CONSOLE_LIVE_RECHECK_MS: '300', ...options.env },
      },
    });
  } catch (error) {
    await whatsapp.close();
    await nats.cleanup();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  whatsapp.connect(system);
  const kysely = new Kysely<ConsoleDb>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 2 }) }),
  });
  const url = system.consoleUrl as string;
  return {
    nats,
    db,
    whatsapp,
    system,
    url,
    staff: new StaffAccounts(kysely),
    async endSessions() {
      await kysely.deleteFrom('console.sessions').execute();
    },
    async signIn(email, password = PASSWORD) {
      const client = new ConsoleClient(url);
      const { status, body } = await client.call('login', { body: { email, password } });
      if (status !== 200) throw new Error(`login of ${email} answered ${status}: ${JSON.stringify(body)}`);
      return client;
    },
    async stop() {
      await system.stop();
      await kysely.destroy();
      await whatsapp.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
      // Last: it fails when NATS refused a service anything (a missing permission).
      await nats.cleanup();
    },
  };
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered and assert on it
  body: any;
  headers: Headers;
}

/** Calls the console as the web app does: the session cookie, and the CSRF token on writes. */
export class ConsoleClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  async call(
    name: RouteName,
    input: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown } = {},
    init: { bearer?: string; csrf?: string | null } = {},
  ): Promise<Answer> {
    const route = routes[name];
    const query = input.query ? `?${new URLSearchParams(input.query)}` : '';
    return this.raw(route.method, `${pathOf(route.path, input.params ?? {})}${query}`, input.body, init);
  }

  async raw(
    method: string,
    path: string,
    body?: unknown,
    init: { bearer?: string; csrf?: string | null } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
    else if (this.cookie) headers.cookie = this.cookie;
    const csrf = init.csrf === undefined ? this.csrf : init.csrf;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (parsed && typeof parsed.csrfToken === 'string') this.csrf = parsed.csrfToken;
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /** Follows the restaurant's live events until `stop()`; `events` fills as they come. */
  follow(businessId: string, lastEventId?: string): LiveReader {
    return new LiveReader(this, businessId, lastEventId);
  }
}

export class LiveReader {
  readonly events: EventSourceMessage[] = [];
  private readonly abort = new AbortController();
  readonly opened: Promise<void>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  private end: () => void = () => undefined;

  constructor(client: ConsoleClient, businessId: string, lastEventId?: string) {
    this.ended = new Promise<void>((resolve) => {
      this.end = resolve;
    });
    const headers: Record<string, string> = { accept: 'text/event-stream', cookie: client.cookie };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    this.opened = (async () => {
      const response = await fetch(
        `${client.base}${pathOf('/api/restaurants/:businessId/events', { businessId })}`,
        {
          headers,
          signal: this.abort.signal,
        },
      );
      if (response.status !== 200 || !response.body)
        throw new Error(`live events answered ${response.status}`);
      const parser = createParser({ onEvent: (event) => this.events.push(event) });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let ready: () => void = () => undefined;
      const first = new Promise<void>((resolve) => {
        ready = resolve;
      });
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return this.end();
            parser.feed(value);
            if (this.events.some((event) => event.event === 'ready')) ready();
          }
        } catch {
          // aborted
        }
      })();
      await first;
    })();
  }

  /** The id of the `ready` greeting: where the browser stands before any event. */
  greeting(): string | undefined {
    return this.events.find((event) => event.event === 'ready')?.id;
  }

  /** Live events (not the `ready` greeting), parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on the parsed event fields
  data(): { id: string | undefined; event: any }[] {
    return this.events
      .filter((e) => e.event !== 'ready')
      .map((e) => ({ id: e.id, event: JSON.parse(e.data) }));
  }

  async waitFor(predicate: (event: { type: string; [key: string]: unknown }) => boolean, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.data().find((e) => predicate(e.event));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no live event matched within ${timeoutMs} ms: ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  stop(): void {
    this.abort.abort();
  }
}
