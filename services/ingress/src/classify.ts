import { createHash } from 'node:crypto';
import { type DerivedEvent, deriveEvents, parseWebhook, type Topology } from '@reserveit/contracts';
import secureJson from 'secure-json-parse';

export type Classified =
  | { kind: 'events'; rawId: string; events: DerivedEvent[] }
  | { kind: 'quarantine'; rawId: string; reason: string };

/** The id a raw body is kept under: its sha256, so the same delivery always maps to the same id. */
export function rawIdOf(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}

/**
 * What a verified body becomes: the events it carries, or a quarantine when it is not JSON or not
 * a shape we know. Meta signed it, so it is kept either way; a new shape must not be lost, nor
 * answered with an error that makes Meta retry it for a week. `__proto__` and
 * `constructor.prototype` keys are refused by the parser rather than copied into objects.
 */
export function classifyWebhook(rawBody: Buffer, receivedAt: Date, topology: Topology): Classified {
  const rawId = rawIdOf(rawBody);
  let json: unknown;
  try {
    json = secureJson.parse(rawBody.toString('utf8'), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch (error) {
    return { kind: 'quarantine', rawId, reason: `not JSON: ${(error as Error).message}`.slice(0, 300) };
  }
  const parsed = parseWebhook(json);
  if (!parsed.ok) return { kind: 'quarantine', rawId, reason: `unknown shape: ${parsed.reason}` };
  return { kind: 'events', rawId, events: deriveEvents(parsed.webhook, { rawId, receivedAt, topology }) };
}
