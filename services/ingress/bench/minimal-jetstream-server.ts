import { createHash } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { topology } from '@reserveit/contracts';
import { ensureStream } from '@reserveit/messaging';
import Fastify from 'fastify';
import { verifySignature } from '../src/signature.js';

// The floor for a durable webhook ingress on this machine (issue 19): the same framework, the same
// constant-time signature check, and one JetStream publish of the body (Msg-Id its sha256, as
// ingress's) answered 200 after the ack. No metrics, tracing, deadline or logging; ingress with
// INGRESS_DERIVER=false is held to at least its throughput in the same run.
const raw = topology(process.env.NATS_PREFIX ?? 'minimal').streams.raw;
// noAsyncTraces as ingress's connection has it (libs/messaging/src/connection.ts): the floor gets
// the same client settings, not a handicap.
const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222', noAsyncTraces: true });
await ensureStream(await jetstreamManager(nc), raw, { replicas: 1 });
const js = jetstream(nc);
const secrets = [process.env.WHATSAPP_APP_SECRET ?? 'bench-app-secret'];
const subjectBase = raw.subjects[0]!.replace('>', '');

const app = Fastify({ bodyLimit: 4 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/webhooks/whatsapp', async (request, reply) => {
  const body = request.body as Buffer;
  if (!verifySignature(body, request.headers['x-hub-signature-256'] as string | undefined, secrets)) {
    return reply.code(401).send({ error: 'signature' });
  }
  const id = createHash('sha256').update(body).digest('hex');
  try {
    await js.publish(`${subjectBase}${id}.0`, body, { msgID: `${id}:0`, timeout: 2_000 });
    return { ok: true };
  } catch {
    return reply.code(503).send({ error: 'unavailable' });
  }
});
const address = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening on ${address}\n`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => nc.close())
      .then(() => process.exit(0)),
);
