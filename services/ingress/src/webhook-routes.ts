import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from './app.js';
import { rawIdOf } from './classify.js';
import { answerDeadline } from './deadline.js';
import { ERROR_STATUS, errorBody } from './errors.js';
import { hasSignatureFormat, tokensMatch, verifySignature } from './signature.js';

const PATH = '/webhooks/whatsapp';

/** Meta's verification GET (docs/whatsapp.md#verification); the challenge is echoed as given, never parsed. */
const hubQuery = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string().max(512),
  'hub.challenge': z.string().min(1).max(512),
});

export async function webhookRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // The signature covers the exact bytes, so every body is kept as a Buffer and parsed only after
  // it is verified (Fastify's JSON parser would throw the bytes away).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );

  app.get(PATH, async (request, reply) => {
    const query = hubQuery.safeParse(request.query);
    if (!query.success || !tokensMatch(query.data['hub.verify_token'], deps.verifyToken)) {
      request.log.warn('hub challenge refused: wrong mode, token or challenge');
      return reply
        .code(ERROR_STATUS.FORBIDDEN)
        .send(
          errorBody(
            'FORBIDDEN',
            'hub.mode must be subscribe and hub.verify_token must match WHATSAPP_VERIFY_TOKEN.',
          ),
        );
    }
    request.log.info('hub challenge answered');
    return reply.code(200).type('text/plain; charset=utf-8').send(query.data['hub.challenge']);
  });

  app.post(
    PATH,
    {
      // Callback style, not async: an async hook costs a promise on every webhook. Answering
      // without calling done ends the request there (https://fastify.dev/docs/latest/Reference/Hooks/#respond-to-a-request-from-a-hook).
      onRequest: (request, reply, done) => {
        if (hasSignatureFormat(request.headers['x-hub-signature-256'] as string | undefined)) return done();
        deps.metrics.requests.inc({ outcome: 'unauthorized' });
        reply
          .code(ERROR_STATUS.INVALID_SIGNATURE)
          .send(errorBody('INVALID_SIGNATURE', 'X-Hub-Signature-256 is missing or not sha256=<64 hex>.'));
      },
    },
    async (request, reply) => {
      // Counted from the request's arrival: Meta waits for the whole of it.
      const deadline = answerDeadline(deps.publishTimeoutMs, reply.elapsedTime);
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!verifySignature(rawBody, request.headers['x-hub-signature-256'] as string, deps.appSecrets)) {
        deps.metrics.requests.inc({ outcome: 'unauthorized' });
        request.log.warn(
          { bytes: rawBody.length },
          'webhook refused: signature does not match any app secret',
        );
        return reply
          .code(ERROR_STATUS.INVALID_SIGNATURE)
          .send(errorBody('INVALID_SIGNATURE', 'The signature does not match the body.'));
      }
      const rawId = rawIdOf(rawBody);
      // A plain observe of a performance.now() difference: startTimer builds a closure per webhook.
      const publishStarted = performance.now();
      try {
        const { duplicate } = await deps.sink.store(rawId, rawBody, deadline);
        deps.metrics.publishSeconds.observe((performance.now() - publishStarted) / 1000);
        deps.metrics.requests.inc({ outcome: 'accepted' });
        if (duplicate) deps.metrics.rawDuplicates.inc();
        request.log.debug({ rawId, duplicate }, 'webhook stored');
        return reply.code(200).send({ ok: true });
      } catch (error) {
        deps.metrics.requests.inc({ outcome: 'unavailable' });
        request.log.error(
          { err: error, rawId },
          'JetStream did not acknowledge the webhook; answering 503 so Meta retries',
        );
        return reply
          .code(ERROR_STATUS.UNAVAILABLE)
          .send(errorBody('UNAVAILABLE', 'Events could not be stored; retry later.'));
      }
    },
  );
}
