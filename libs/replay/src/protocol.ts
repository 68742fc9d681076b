import { z } from 'zod';

/**
 * What a service's replay entry prints on stdout, one JSON object per line. The ops CLI runs the
 * entry as a child process and renders these; nothing else may be written to stdout.
 */
const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/);

export const projectionDescriptionSchema = z.object({
  type: z.literal('describe'),
  /** The projection, as `reserveit-ops replay <name>` calls it. */
  name: z.string().min(1),
  /** The Postgres schema the live projector writes (and readers read). */
  schema: identifier,
  /**
   * The tables of that schema the projection owns, inbox included: a rebuild replaces these and
   * leaves the schema's other tables (an outbox, a log of what the service did) as they are.
   */
  tables: z.array(identifier).min(1),
  /** The stream the projection is derived from, with the deployment's prefix. */
  stream: z.string().min(1),
  /** The subjects of that stream it reads, when not all of them. */
  filterSubject: z.string().min(1).optional(),
  /**
   * The live durable consumers that write these tables (the projector; for the conversation
   * service, its partition consumers of inbound messages), as the wiring table names them
   * (writersOf, libs/contracts/src/consumers.ts): `--in-place` refuses while one runs.
   */
  writers: z.array(z.object({ stream: z.string().min(1), durable: z.string().min(1) })).min(1),
  /**
   * Its consumer name in the schema's inbox table: the inbox's max stream_seq is its checkpoint.
   * Absent for a projection without an inbox because applying an event again changes nothing
   * (a monotonic upsert): its swap catches up to the stream's end with its tables locked instead.
   */
  inboxConsumer: z.string().min(1).optional(),
});
export type ProjectionDescription = z.infer<typeof projectionDescriptionSchema>;

export const replayProgressSchema = z.object({
  type: z.literal('progress'),
  /** Stream sequence of the last event applied (committed). */
  seq: z.number().int().nonnegative(),
  /** Where this run stops: the stream's last sequence when it began, or --to-seq. */
  lastSeq: z.number().int().nonnegative(),
  /** Events applied by this run so far. */
  applied: z.number().int().nonnegative(),
});
export type ReplayProgress = z.infer<typeof replayProgressSchema>;

export const replayDoneSchema = z.object({
  type: z.literal('done'),
  /** Stream sequence up to which the target now holds every event (>= the requested end). */
  seq: z.number().int().nonnegative(),
  applied: z.number().int().nonnegative(),
});
export type ReplayDone = z.infer<typeof replayDoneSchema>;

export const replayLineSchema = z.discriminatedUnion('type', [
  projectionDescriptionSchema,
  replayProgressSchema,
  replayDoneSchema,
]);
export type ReplayLine = z.infer<typeof replayLineSchema>;
