import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { type FreeConsumer, outboundEventSchema, statusReceivedEventSchema } from '@reserveit/contracts';
import { coalesce } from '@reserveit/db';
import { consumeFree, type RunningConsumer } from '@reserveit/messaging';
import type { Logger } from '@reserveit/telemetry';
import type { z } from 'zod';
import type { Db } from './database.js';
import { type DeliveryUpdate, outcomeUpdate, statusUpdate } from './delivery-status.js';
import { recordDeliveries } from './delivery-store.js';

export interface DeliveryProjectionDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  db: Db;
  logger: Logger;
  /** The rows `conversation.deliveries` (OUTBOUND outcomes) and `conversation.statuses` (status webhooks). */
  rows: { deliveries: FreeConsumer; statuses: FreeConsumer };
}

/**
 * How long a tick waits for others to share its statement: staff see it that much later, and the
 * service writes one statement per few replies under load instead of one per reply or two.
 */
const DELIVERY_LINGER_MS = 20;

/**
 * Projects what became of each outbound message into the history's delivery status: the sender's
 * outcomes (sent with Meta's wamid, failed with the Graph error) and Meta's status webhooks. Both
 * rows are `free`: the writes are monotonic (delivery-store.ts), so order, repeats and a status
 * that comes before its send's outcome change nothing. The updates both consumers' handlers make
 * within DELIVERY_LINGER_MS, or while a write is in flight, go together (coalesce): a statement per
 * many outcomes instead of one each.
 */
export async function startDeliveryProjection(deps: DeliveryProjectionDeps): Promise<RunningConsumer[]> {
  const { js, jsm, db, logger, rows } = deps;
  const record = coalesce(
    async (updates: DeliveryUpdate[]) => {
      await recordDeliveries(db, updates);
      return updates.map(() => undefined);
    },
    256,
    DELIVERY_LINGER_MS,
  );
  const project = <S extends z.ZodType>(
    row: FreeConsumer,
    schema: S,
    toUpdate: (event: z.infer<S>) => DeliveryUpdate | undefined,
  ) =>
    consumeFree(row, {
      js,
      jsm,
      logger,
      handler: async (message: JsMsg) => {
        const event = schema.safeParse(readJson(message));
        // The producers validated it; a shape this version cannot read is skipped, not retried forever.
        if (!event.success) {
          logger.warn({ seq: message.seq, consumer: row.id }, 'unreadable delivery event skipped');
          return;
        }
        const update = toUpdate(event.data);
        if (update) await record(update);
      },
    });
  return [
    await project(rows.deliveries, outboundEventSchema, outcomeUpdate),
    await project(rows.statuses, statusReceivedEventSchema, statusUpdate),
  ];
}

function readJson(message: JsMsg): unknown {
  try {
    return message.json<unknown>();
  } catch {
    return undefined;
  }
}
