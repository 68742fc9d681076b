import { credentials, Metadata } from '@grpc/grpc-js';
import { intentEnv } from '@reserveit/config';
import {
  IntentServiceClient,
  type InterpretRequest,
  type InterpretResponse,
} from '@reserveit/rpc/intent/v1/intent';
import { createLogger } from '@reserveit/telemetry';
import { devCallerOptions } from '@reserveit/testkit';
import { type RunningIntent, startIntent } from '../src/server.js';

/** A real intent service on free loopback ports (gRPC and HTTP), on its own database and NATS prefix. */
export async function intentUnderTest(env: Record<string, string>): Promise<RunningIntent> {
  const config = intentEnv.parse({
    INTENT_HOST: '127.0.0.1',
    INTENT_GRPC_PORT: '0',
    INTENT_HTTP_PORT: '0',
    INTENT_RECORD_FLUSH_MS: '50',
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startIntent(config, createLogger('intent-test', config.LOG_LEVEL));
}

export function clientFor(intent: RunningIntent): IntentServiceClient {
  return new IntentServiceClient(
    `127.0.0.1:${intent.grpcPort}`,
    credentials.createInsecure(),
    devCallerOptions(),
  );
}

export const request = (fields: Partial<InterpretRequest>): InterpretRequest => ({
  text: '',
  localeHint: '',
  conversationId: '',
  businessTimezone: 'Asia/Dubai',
  now: '2026-11-23T15:00:00Z',
  interactive: undefined,
  expecting: '',
  ...fields,
});

/** Interpret with a deadline, as every caller must. */
export function interpret(
  client: IntentServiceClient,
  fields: Partial<InterpretRequest>,
  deadlineMs = 5_000,
): Promise<InterpretResponse> {
  return new Promise((resolve, reject) =>
    client.interpret(
      request(fields),
      new Metadata(),
      { deadline: new Date(Date.now() + deadlineMs) },
      (error, response) => (error ? reject(error) : resolve(response)),
    ),
  );
}
