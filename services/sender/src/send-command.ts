import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { type DeadLetterTarget, type SendRequested, sendRequestedSchema } from '@reserveit/contracts';
import { publishDeadLetter } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { SenderMetrics } from './metrics.js';

/**
 * The send command a stream message carries, or undefined once an unreadable one was counted,
 * logged (the paths zod refused, never the content) and dead-lettered to its consumer's
 * `deadLetter`: retrying it would change nothing.
 */
export async function readSendCommand(
  deps: { js: JetStreamClient; logger: Logger; metrics: SenderMetrics },
  message: JsMsg,
  deadLetter: DeadLetterTarget,
): Promise<SendRequested | undefined> {
  let json: unknown;
  try {
    json = message.json();
  } catch {
    json = undefined;
  }
  const parsed = sendRequestedSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  deps.metrics.commands.inc({ result: 'invalid' });
  const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
  deps.logger.error(
    { seq: message.seq, paths, consumer: deadLetter.consumer },
    'unreadable send command; dead-lettered',
  );
  await publishDeadLetter(deps.js, deadLetter, message, new Error(`invalid command: ${paths}`));
  return undefined;
}
