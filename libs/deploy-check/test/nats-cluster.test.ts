import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { topology } from '@reserveit/contracts';
import {
  FakeWhatsApp,
  type GuestIdentity,
  messageWebhook,
  type Reply,
  ReservationReader,
  type RunningSystem,
  startSystem,
} from '@reserveit/e2e';
import { type DevCertificates, ensureDevCertificates } from '@reserveit/localstack';
import { ensureStream } from '@reserveit/messaging';
import {
  DEV_WHATSAPP,
  newTestPrefix,
  newWamid,
  type TestDatabase,
  testNatsUsers,
  useDatabase,
} from '@reserveit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type NatsCluster, startNatsCluster } from '../src/index.js';

const GUESTS = 8;

let cluster: NatsCluster;
let nc: NatsConnection;
let jsm: JetStreamManager;
let db: TestDatabase;
let whatsapp: FakeWhatsApp;
let system: RunningSystem | undefined;
let reservations: ReservationReader;
// TLS on, as in deploy/k8s (issue 16): clients and routes, with development certificates.
let certsDir: string;
let certs: DevCertificates;
const prefix = newTestPrefix();
const t = topology(prefix);
// Every service runs as its own NATS user, with the allow-lists of this prefix.
const users = testNatsUsers(prefix);

beforeAll(async () => {
  certsDir = await mkdtemp(join(tmpdir(), 'reserveit-cluster-certs-'));
  certs = await ensureDevCertificates(certsDir);
  cluster = await startNatsCluster({ tls: certs, users });
  nc = await connect({
    servers: cluster.urls,
    name: 'reserveit-cluster-test',
    maxReconnectAttempts: -1,
    ...users.test,
    tls: { caFile: certs.caFile },
  });
  jsm = await jetstreamManager(nc);
  for (const spec of Object.values(t.streams)) await ensureStream(jsm, spec, { replicas: 3 });
  db = await useDatabase();
  whatsapp = await FakeWhatsApp.start();
  system = await startSystem({
    natsUrl: cluster.url,
    prefix,
    databaseUrl: db.url,
    graphBaseUrl: whatsapp.graphBaseUrl,
    tls: certs,
    env: { NATS_STREAM_REPLICAS: '3' },
    serviceEnv: {
      conversation: {
        // An ack sent to a consumer leader that then dies is lost, and the message comes back
        // after AckWait (the inbox makes that copy a no-op): 10 s instead of 30 s keeps the run short.
        CONVERSATION_ACK_WAIT_MS: '10000',
        // As in deploy/k8s: attempts that outlast a stream leader election (several seconds of
        // failed publishes), where the default 5 can dead-letter a healthy message.
        CONVERSATION_MAX_DELIVER: '8',
      },
    },
  });
  whatsapp.connect(system);
  reservations = new ReservationReader(system.grpc.reservation, system.grpcCaFile);
}, 120_000);

afterAll(async () => {
  reservations?.close();
  await system?.stop();
  await whatsapp?.close();
  await nc?.close();
  await cluster?.stop();
  await db?.drop();
  if (certsDir) await rm(certsDir, { recursive: true, force: true });
});

afterEach((context) => {
  if (context.task.result?.state === 'fail' && system) console.error(system.describe());
});

/** Ingress answers per POST, to show a 503 happened only where nothing was stored. */
const answers: number[] = [];

/** Meta's side of an outage: a webhook not answered 200 is delivered again (docs/whatsapp.md#retries-and-duplicates), here every 200 ms. */
async function deliver(body: unknown): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await whatsapp.post(body).catch(() => 0);
    answers.push(status);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`ingress never answered 200 (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function say(
  guest: GuestIdentity,
  content: Record<string, unknown>,
): Promise<{ wamid: string; reply: Reply }> {
  const wamid = newWamid();
  await deliver(messageWebhook(guest, content, wamid));
  const replies = await whatsapp.answerTo(wamid, { timeoutMs: 60_000, settleMs: 300 });
  expect(replies, `replies to one message of ${guest.name}`).toHaveLength(1);
  return { wamid, reply: replies[0] as Reply };
}

function button(reply: Reply, title: string): { id: string; title: string } {
  const found = reply.buttons.find((b) => b.title === title);
  if (!found) throw new Error(`no "${title}" button in ${JSON.stringify(reply)}`);
  return found;
}

const tap = (b: { id: string; title: string }) => ({
  type: 'interactive',
  interactive: { type: 'button_reply', button_reply: b },
});

/** Greeting, booking request, name, confirmation: four inbound messages, one reply each. */
async function book(guest: GuestIdentity, time: string, onTurn: () => void): Promise<string[]> {
  const hello = await say(guest, { type: 'text', text: { body: 'Hi' } });
  onTurn();
  const ask = await say(guest, { type: 'text', text: { body: `a table for 2 tomorrow at ${time}` } });
  onTurn();
  expect(ask.reply.text).toContain('Under which name should I book it?');
  const summary = await say(guest, tap(button(ask.reply, guest.name)));
  onTurn();
  expect(summary.reply.text).toMatch(/^A table for 2 guests on .*, under the name /);
  const booked = await say(guest, tap(button(summary.reply, 'Confirm')));
  onTurn();
  expect(booked.reply.text).toMatch(/^You're booked: a table for 2 guests/);
  return [hello.wamid, ask.wamid, summary.wamid, booked.wamid];
}

/**
 * A TLS handshake with a node's route port, as a peer would make it; 'ok' or why it failed. The
 * route port of a TLS cluster speaks TLS before anything else (the 2 s of silence a plaintext
 * peer gets end in a closed connection).
 */
function routeHandshake(port: number, as: { cert?: string; key?: string; ca: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ...as });
    socket.once('secureConnect', () => {
      // With TLS 1.3 a refused client certificate arrives as an alert after the handshake.
      socket.once('data', () => undefined);
      setTimeout(() => {
        resolve(socket.destroyed ? 'closed' : 'ok');
        socket.destroy();
      }, 300);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('a 3-node NATS cluster with R3 streams, TLS and one NATS user per service', () => {
  it('takes clients and routes only over TLS, routes only from peers with a certificate of the CA, and refuses a client that does not trust it or has no user', async () => {
    expect(nc.info?.tls_required).toBe(true);
    const ca = await readFile(certs.caFile, 'utf8');
    const cert = await readFile(certs.certFile, 'utf8');
    const key = await readFile(certs.keyFile, 'utf8');
    for (const node of cluster.nodes) {
      expect(await routeHandshake(node.routePort, { ca, cert, key }), node.name).toBe('ok');
      // Routes verify their peers: no certificate, no route.
      expect(await routeHandshake(node.routePort, { ca }), node.name).not.toBe('ok');
    }
    await expect(connect({ servers: cluster.urls[0], reconnect: false })).rejects.toThrow(
      /unable to verify the first certificate/,
    );
    // Over TLS, but without a user: the users of every node refuse it.
    await expect(
      connect({ servers: cluster.urls[0], reconnect: false, tls: { caFile: certs.caFile } }),
    ).rejects.toThrow(/Authorization/i);
  });

  it('loses and doubles nothing when the WHATSAPP stream leader is killed mid-run: every message answered once, every booking made once', async () => {
    const before = await jsm.streams.info(t.streams.whatsapp.name);
    expect(before.config.num_replicas).toBe(3);
    expect(before.cluster?.replicas).toHaveLength(2);
    const victim = before.cluster?.leader ?? '';

    // Eight guests book at once; after a quarter of all turns the node leading WHATSAPP dies
    // (SIGKILL: no goodbye to its peers or clients), while the other turns are in flight.
    let turns = 0;
    let killed: Promise<void> | undefined;
    const onTurn = () => {
      turns++;
      if (turns === GUESTS && !killed) killed = cluster.node(victim).server.kill();
    };
    const guests = Array.from({ length: GUESTS }, (_, i) => ({
      waId: `97150070${String(i).padStart(4, '0')}`,
      name: `Guest${i}`,
    }));
    // Seatings every day of the week has (Sunday's last one is at 21:30).
    const times = ['7pm', '8pm', '9pm', '9:30pm'];
    const wamids = await Promise.all(
      guests.map((guest, i) => book(guest, times[i % times.length] ?? '8pm', onTurn)),
    );
    await killed;

    // The stream moved on to a new leader on one of the two survivors.
    const after = await jsm.streams.info(t.streams.whatsapp.name);
    expect(after.cluster?.leader).toBeDefined();
    expect(after.cluster?.leader).not.toBe(victim);

    // Nothing doubled in the stream: one stored event per inbound message, retries or not.
    for (const guest of guests) {
      const subject = t.subjects.inboundMessage(DEV_WHATSAPP.phoneNumberId, guest.waId);
      const info = await jsm.streams.info(t.streams.whatsapp.name, { subjects_filter: subject });
      expect(info.state.subjects?.[subject], `stored inbound of ${guest.name}`).toBe(4);
    }
    // Exactly one send per inbound message reached the Graph API: none lost, none repeated.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const sends = whatsapp.replies();
    expect(sends).toHaveLength(GUESTS * 4);
    expect(new Set(sends.map((s) => s.key)).size).toBe(GUESTS * 4);
    for (const wamid of wamids.flat()) expect(whatsapp.repliesTo(wamid), wamid).toHaveLength(1);
    // One reservation per guest.
    // ListReservations reads the projection, which may still be catching up after the failover.
    for (const guest of guests) {
      await expect
        .poll(() => reservations.list({ guestWaId: guest.waId }), {
          timeout: 30_000,
          message: `reservations of ${guest.name}`,
        })
        .toHaveLength(1);
    }
    // Ingress never answered anything but 200 or 503 (Meta retries a 503).
    expect(answers.every((status) => status === 200 || status === 503)).toBe(true);
  }, 150_000);

  it('ran every service as its own NATS user on every node, and no node refused any of them anything', async () => {
    expect(await cluster.refusals()).toEqual([]);
  });
});
