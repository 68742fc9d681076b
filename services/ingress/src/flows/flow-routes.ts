import type { KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import type { FlowOutcome } from '../metrics.js';
import { verifySignature } from '../signature.js';
import { answerBookingFlow, type FlowAvailability } from './booking-screens.js';
import { decryptFlowRequest, encryptFlowResponse } from './flow-crypto.js';
import { flowEnvelopeSchema, flowRequestSchema } from './flow-request.js';

export const BOOKING_FLOW_PATH = '/flows/booking';

/**
 * The statuses Meta's client acts on
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/implementingyourflowendpoint,
 * and Meta's endpoint example, github.com/WhatsApp/WhatsApp-Flows-Tools): 421 makes it fetch our
 * public key again and re-encrypt; 427 tells the guest the Flow expired; 432 is a signature that
 * does not match the body.
 */
export const FLOW_STATUS = {
  DECRYPTION_FAILED: 421,
  INVALID_FLOW_TOKEN: 427,
  INVALID_SIGNATURE: 432,
} as const;

export interface FlowRouteDeps {
  appSecrets: readonly string[];
  privateKey: KeyObject;
  availability: FlowAvailability;
  bodyLimitBytes: number;
  count: (outcome: FlowOutcome) => void;
}

const parseJson = (text: string): unknown => {
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return undefined;
  }
};

/**
 * The booking Flow's data-exchange endpoint: signed by Meta like a webhook, then decrypted,
 * answered from live availability and encrypted back. Nothing of a request is logged but its
 * action and screen (the data holds a guest's name).
 */
export async function flowRoutes(app: FastifyInstance, deps: FlowRouteDeps): Promise<void> {
  // The signature covers the exact bytes (as for webhooks), so the body stays a Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes },
    (_request, body, done) => done(null, body),
  );

  app.post(BOOKING_FLOW_PATH, async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.headers['x-hub-signature-256'];
    if (!verifySignature(rawBody, typeof signature === 'string' ? signature : undefined, deps.appSecrets)) {
      request.log.warn({ bytes: rawBody.length }, 'flow request refused: signature does not match');
      deps.count('bad_signature');
      return reply.code(FLOW_STATUS.INVALID_SIGNATURE).send();
    }
    const envelope = flowEnvelopeSchema.safeParse(parseJson(rawBody.toString('utf8')));
    const decrypted = envelope.success
      ? decryptFlowRequest(envelope.data, deps.privateKey)
      : { ok: false as const };
    if (!decrypted.ok) {
      request.log.warn(
        'flow request refused: it does not decrypt with our key; Meta refetches the public key',
      );
      deps.count('not_decrypted');
      return reply.code(FLOW_STATUS.DECRYPTION_FAILED).send();
    }
    const flowRequest = flowRequestSchema.safeParse(parseJson(decrypted.plaintext));
    if (!flowRequest.success) {
      request.log.warn('flow request refused: decrypted, but not a Flow request');
      deps.count('not_a_flow_request');
      return reply.code(400).send();
    }
    const { action } = flowRequest.data;
    const screen = 'screen' in flowRequest.data ? flowRequest.data.screen : undefined;
    let answer: Awaited<ReturnType<typeof answerBookingFlow>>;
    try {
      answer = await answerBookingFlow(flowRequest.data, deps.availability, new Date());
    } catch (error) {
      // WhatsApp shows the guest an error and they may try again; nothing was booked.
      request.log.error({ err: error, action, screen }, 'flow request failed: availability did not answer');
      deps.count('unavailable');
      return reply.code(503).send();
    }
    if (answer.kind === 'invalid_token') {
      request.log.warn(
        { action, screen },
        'flow request refused: not a booking Flow token of a known restaurant',
      );
      deps.count('invalid_token');
      return reply.code(FLOW_STATUS.INVALID_FLOW_TOKEN).send();
    }
    deps.count('answered');
    request.log.debug({ action, screen }, 'flow request answered');
    return reply
      .code(200)
      .type('text/plain; charset=utf-8')
      .send(encryptFlowResponse(answer.body, decrypted.session));
  });
}
