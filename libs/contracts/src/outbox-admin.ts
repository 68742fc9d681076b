import { z } from 'zod';

/**
 * What the sender's outbox admin entry (`reserveit-sender-outbox`, services/sender/src/outbox-admin.ts)
 * prints on stdout, one JSON object per line. `reserveit-ops dlq redrive` runs it as a child
 * process, as it runs the replay entries, so the sender stays the only one that reads or writes
 * its outbox.
 */

/** An outbox key is a send command's dedupe key (`id` of whatsapp.send.requested, outbound.ts). */
export const outboxKeySchema = z.string().min(1).max(512);

/** Keys per run of the entry: a command line stays far below Linux's 128 KiB per argument list. */
export const MAX_OUTBOX_KEYS_PER_RUN = 200;

/** `state <key>…`: the row's state, null when the outbox has no row with that key. */
const outboxStateLineSchema = z.object({
  type: z.literal('state'),
  key: outboxKeySchema,
  state: z.string().nullable(),
});

/**
 * `reset <key>…`: what became of each key. `busy`: another reply of the same guest is being sent
 * (`inFlight` is its key), so the failed row stays as it is; a later run may reset it.
 * `reached-meta`: a status webhook names the key (`status`, the furthest), so one of its attempts
 * got through and sending it again would send it twice.
 */
const outboxResetSchema = z.discriminatedUnion('result', [
  z.object({ key: outboxKeySchema, result: z.literal('reset') }),
  z.object({ key: outboxKeySchema, result: z.literal('no-row') }),
  z.object({ key: outboxKeySchema, result: z.literal('not-failed'), state: z.string() }),
  z.object({ key: outboxKeySchema, result: z.literal('busy'), inFlight: outboxKeySchema }),
  z.object({ key: outboxKeySchema, result: z.literal('reached-meta'), status: z.string() }),
]);
export type OutboxReset = z.infer<typeof outboxResetSchema>;

const outboxResetLineSchema = z.object({ type: z.literal('reset'), outcome: outboxResetSchema });

export const outboxAdminLineSchema = z.discriminatedUnion('type', [
  outboxStateLineSchema,
  outboxResetLineSchema,
]);
export type OutboxAdminLine = z.infer<typeof outboxAdminLineSchema>;
