import { type MsgHdrs, headers as natsHeaders } from '@nats-io/transport-node';
import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { type SendRequested, sendRequestedSchema } from '@reserveit/contracts';
import { extractTraceContext } from '@reserveit/messaging';
import { type Logger, maskPhone } from '@reserveit/telemetry';
import { afterAttempt, planAttempt, type RetryPolicy } from './domain/attempt.js';
import { classify, type GraphOutcome } from './domain/classify.js';
import { graphBody } from './domain/graph-request.js';
import { replyPreview } from './domain/reply-preview.js';
import type { GraphClient } from './graph/graph-client.js';
import type { SenderMetrics } from './metrics.js';
import type { NewCommand, OutboxRow, OutboxStore } from './outbox/outbox-store.js';
import type { RowUpdate } from './outbox/row-changes.js';
import { markReadAlong, type ReadAlongDeps } from './read-along.js';
import type { RateToken, SendSlots } from './send-slots.js';

const tracer = trace.getTracer('@reserveit/sender');

/** A command for admit(): the intake checked it against the contract as it came off the stream. */
export type AdmittedCommand = NewCommand & { command: SendRequested };

export interface DispatcherDeps {
  store: OutboxStore;
  graph: GraphClient;
  /** The number's rate limit, shared with the other replicas and the read receipts. */
  slots: SendSlots;
  policy: RetryPolicy;
  /** This process's lease owner id. */
  owner: string;
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  dryRun: boolean;
  /**
   * Dry run only: log each reply as the guest would see it. Off in production, where a dry run
   * (a shadow deployment) handles real guests and their replies stay out of the logs.
   */
  logReplies: boolean;
  logger: Logger;
  metrics: SenderMetrics;
  now(): Date;
  /** Publishes the outcome event of a row that became final and notes it published. */
  onFinal(row: OutboxRow): Promise<void>;
  /** Publishes the outcome event of a row about to be recorded final; false when it could not. */
  publishOutcome(row: OutboxRow): Promise<boolean>;
  /** A read receipt a reply carried that the Graph API did not take, for `sender.reads` (src/read-along.ts). */
  deferRead: ReadAlongDeps['deferRead'];
  /** Test hook: called right after the Graph API answered, before the answer is recorded. */
  afterCall?(key: string): Promise<void>;
}

/** How a round of one row ended, for what the dispatcher does next. */
interface RoundEnd {
  /** The row's guest has a reply that may go now (it was waiting behind this one). */
  guestWaiting: boolean;
  /** That reply still has to be made its guest's head (OutboxStore.handOver) before a claim finds it. */
  owed: boolean;
}

const NOTHING_WAITS: RoundEnd = { guestWaiting: false, owed: false };

/**
 * Sends what the outbox holds: claims due rows (each guest's oldest unfinished one only), up to
 * `concurrency` at once, and runs each through plan → rate limit → mark sending → call → record.
 */
export class Dispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows being recorded with a lease of ours (admit), which will join inFlight. */
  private admitting = 0;
  /** Due rows may be waiting unclaimed: a claim was cut short by capacity, failed, or new rows came unleased. */
  private backlog = true;
  /**
   * Finished rows may still owe their guest's head to the next reply. True at start and after
   * every poll as well: a sender of an earlier version (during a rolling update) finishes rows
   * without handing the head on.
   */
  private owed = true;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /** Something may be due: claim now instead of at the next poll. */
  wake(): void {
    this.backlog = true;
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** A row became final without handing its guest's head on (a status webhook confirmed it). */
  handOverOwed(): void {
    this.owed = true;
    this.wake();
  }

  /**
   * Records a new command, leased to us when there is room to send it now, and then sends it
   * straight away: no claim round trip between intake and send. When the number's rate limit has a
   * token free as well, the row is recorded `sending` its first attempt, which spares the
   * markSending statement; otherwise it takes the usual way (plan, wait for a token, mark, call).
   */
  async admit(command: AdmittedCommand): Promise<OutboxRow | undefined> {
    const { deps } = this;
    const room = !this.stopped && this.inFlight.size + this.admitting < deps.concurrency;
    if (!room) {
      const row = await deps.store.insert(command, deps.now());
      if (row) this.wake();
      return row;
    }
    this.admitting += 1;
    let token: RateToken | undefined;
    try {
      token = deps.dryRun ? undefined : await deps.slots.take(command.phoneNumberId);
      const now = deps.now();
      const row = await deps.store.insert(command, now, {
        owner: deps.owner,
        ms: deps.leaseMs,
        ...(token ? { sending: { recheckAt: this.recheckAt(now, command.kind === 'read') } } : {}),
      });
      const ours = row?.lease_owner === deps.owner;
      const sending = ours && row?.state === 'sending';
      if (token && !sending) deps.slots.giveBack(token);
      // A token is good for the hold only (src/send-slots.ts): one that ran out while the row was
      // written buys nothing, and the call waits for a place like any other.
      const late = sending && token !== undefined && !deps.slots.isGood(token);
      if (row && ours) this.track(this.process(row, sending, late, command.command));
      else if (row) this.wake();
      return row;
    } catch (error) {
      if (token) deps.slots.giveBack(token);
      throw error;
    } finally {
      this.admitting -= 1;
    }
  }

  /** When a `sending` row with no recorded answer is looked at again (reconciliation). */
  private recheckAt(now: Date, isReadReceipt: boolean): Date {
    // A read receipt has no status webhook to wait for, so an unanswered one is simply repeated.
    return new Date(now.getTime() + (isReadReceipt ? this.deps.leaseMs : this.deps.policy.reconcileWindowMs));
  }

  /** Stops claiming and waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    const { deps } = this;
    while (!this.stopped) {
      this.pendingWake = false;
      if (this.owed) await this.handOver();
      const free = deps.concurrency - this.inFlight.size - this.admitting;
      let claimed = 0;
      if (free > 0) {
        this.backlog = false;
        try {
          const rows = await deps.store.claimDue(deps.owner, deps.now(), deps.leaseMs, free);
          claimed = rows.length;
          if (claimed === free) this.backlog = true;
          for (const row of rows) this.track(this.process(row));
        } catch (error) {
          this.backlog = true;
          deps.logger.error({ err: error }, 'claiming outbox rows failed; will poll again');
        }
      }
      if (this.stopped) break;
      if (claimed > 0 && claimed === free) continue;
      if (this.pendingWake) continue;
      const polled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), deps.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      this.wakeUp = undefined;
      if (polled) this.owed = true;
    }
  }

  /** Gives owed queue heads on (OutboxStore.handOver); on failure they stay owed for the next round. */
  private async handOver(): Promise<void> {
    this.owed = false;
    try {
      const { settled, more } = await this.deps.store.handOver();
      if (settled > 0) this.backlog = true;
      if (more) this.handOverOwed();
    } catch (error) {
      this.owed = true;
      this.deps.logger.error({ err: error }, 'handing queue heads on failed; will try again');
    }
  }

  /**
   * A finished send claims again only when that can find something: rows were left for lack of
   * room, or its guest has a message it was holding back. Claiming after every send cost each
   * message one more statement that mostly found nothing.
   */
  private track(work: Promise<RoundEnd>): void {
    const tracked = work.then(
      ({ guestWaiting, owed }) => {
        this.inFlight.delete(tracked);
        if (owed) this.owed = true;
        if (guestWaiting || this.backlog) this.wake();
      },
      () => {
        this.inFlight.delete(tracked);
        this.wake();
      },
    );
    this.inFlight.add(tracked);
  }

  /**
   * `admitted`: recorded `sending` its first attempt by admit(), so only the call is left to make.
   * `checked`: the command as admit() got it, already parsed by the intake; parsing the row's copy
   * of it again cost a full zod pass of the contract per send. A claimed row's comes from the
   * table, and is parsed.
   */
  private async process(
    row: OutboxRow,
    admitted = false,
    late = false,
    checked?: SendRequested,
  ): Promise<RoundEnd> {
    const { deps } = this;
    const parent = extractTraceContext(storedHeaders(row));
    const span = tracer.startSpan(
      `send whatsapp ${row.kind}`,
      { attributes: { 'messaging.message.id': row.key, 'whatsapp.phone_number_id': row.phone_number_id } },
      parent,
    );
    try {
      return await context.with(trace.setSpan(parent, span), () =>
        admitted ? this.callAdmitted(row, late, span, checked) : this.processRow(row, span, checked),
      );
    } catch (error) {
      // The lease runs out and the row is claimed again; a `sending` row is then reconciled.
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      deps.logger.error(
        { err: error, key: row.key },
        'send round failed; the row is retried after its lease',
      );
      return NOTHING_WAITS;
    } finally {
      span.end();
    }
  }

  /** The first attempt of a row recorded `sending` as it was admitted. */
  private async callAdmitted(
    row: OutboxRow,
    late: boolean,
    span: Span,
    checked: SendRequested | undefined,
  ): Promise<RoundEnd> {
    if (late) await this.deps.slots.wait(row.phone_number_id);
    return this.call(row, checked ?? sendRequestedSchema.parse(row.command), 1, span);
  }

  private async processRow(row: OutboxRow, span: Span, checked?: SendRequested): Promise<RoundEnd> {
    const { deps } = this;
    const command = checked ?? sendRequestedSchema.parse(row.command);
    const isReadReceipt = command.message.kind === 'read';
    const confirmedWamid = row.attempts > 0 ? await deps.store.confirmedWamid(row.key) : undefined;
    const plan = planAttempt(
      {
        state: row.state === 'sending' ? 'sending' : 'pending',
        attempts: row.attempts,
        lastAttemptAt: row.last_attempt_at,
        isReadReceipt,
        confirmedWamid,
      },
      deps.now(),
      deps.policy,
    );
    span.setAttribute('sender.plan', plan.type);
    switch (plan.type) {
      case 'confirm':
        deps.metrics.sends.inc({ outcome: 'reconciled' });
        return this.record(row, { type: 'sent', wamid: plan.wamid });
      case 'wait':
        return this.record(row, plan);
      case 'give_up':
        deps.metrics.sends.inc({ outcome: 'exhausted' });
        return this.record(row, { type: 'failed', code: plan.code, reason: plan.reason, exhausted: true });
      case 'send':
        return this.send(row, command, plan.attempt, isReadReceipt, span);
      default: {
        const unknown: never = plan;
        throw new Error(`unknown plan ${JSON.stringify(unknown)}`);
      }
    }
  }

  private async send(
    row: OutboxRow,
    command: SendRequested,
    attempt: number,
    isReadReceipt: boolean,
    span: Span,
  ): Promise<RoundEnd> {
    const { deps } = this;
    const body = graphBody(command);
    if (deps.dryRun) {
      deps.logger.info(
        {
          key: row.key,
          phoneNumberId: row.phone_number_id,
          kind: row.kind,
          ...(command.markRead ? { markRead: true } : {}),
          ...(deps.logReplies
            ? { to: maskPhone(row.recipient), reply: replyPreview(command.message) }
            : { body: maskBody(body) }),
        },
        'dry run: would send',
      );
      deps.metrics.sends.inc({ outcome: 'dry_run' });
      return this.record(row, { type: 'dry_run' });
    }
    // Rejects when the shared limit cannot be read: nothing is sent and the round fails, so the
    // row is retried after its lease (process()).
    await deps.slots.wait(row.phone_number_id);
    const now = deps.now();
    const marked = await deps.store.markSending(
      row.key,
      deps.owner,
      attempt,
      now,
      deps.leaseMs,
      this.recheckAt(now, isReadReceipt),
    );
    if (!marked) {
      deps.logger.warn({ key: row.key }, 'lost the lease before sending; another replica has it');
      return NOTHING_WAITS;
    }
    return this.call(row, command, attempt, span);
  }

  /** The Graph API call of a row marked `sending` under our lease, and the record of its answer. */
  private async call(row: OutboxRow, command: SendRequested, attempt: number, span: Span): Promise<RoundEnd> {
    const { deps } = this;
    const isReadReceipt = command.message.kind === 'read';
    const body = graphBody(command);
    span.setAttribute('sender.attempt', attempt);
    // The read receipt the reply carries goes beside it, not before it: waiting for it would add a
    // Graph API round trip to every answer.
    const read = markReadAlong(deps, command);
    const started = performance.now();
    const outcome = await deps.graph.send(command.phoneNumberId, body);
    await read;
    await deps.afterCall?.(row.key);
    const verdict = classify(outcome);
    deps.metrics.sendSeconds.observe({ outcome: verdict.type }, (performance.now() - started) / 1000);
    if (outcome.type !== 'accepted') {
      deps.metrics.graphErrors.inc({ code: String(errorCodeOf(outcome)) });
      span.setAttribute('whatsapp.error.code', errorCodeOf(outcome));
    }
    const transition = afterAttempt(verdict, attempt, isReadReceipt, deps.now(), deps.policy);
    deps.metrics.sends.inc({
      outcome: transition.type === 'failed' && transition.exhausted ? 'exhausted' : transition.type,
    });
    if (transition.type === 'sent' && transition.wamid) span.setAttribute('whatsapp.wamid', transition.wamid);
    if (transition.type !== 'sent') {
      deps.logger.warn(
        {
          key: row.key,
          attempt,
          transition: transition.type,
          reason: 'reason' in transition ? transition.reason : '',
        },
        'send did not go through',
      );
    }
    return this.record(row, transition, attempt);
  }

  private async record(row: OutboxRow, update: RowUpdate, attempts = row.attempts): Promise<RoundEnd> {
    const { deps } = this;
    const now = deps.now();
    if (update.type === 'sent') {
      // A send that went through announces itself before it is recorded, so its row is written
      // once, flagged published in the same statement, instead of once more after the publish.
      // Dying in between leaves the row `sending`, reconciled like any unanswered attempt (a
      // status webhook names its key); the event, published again then, is deduplicated by Msg-Id.
      const published = await deps.publishOutcome(sentRow(row, update, attempts, now));
      const { guestWaiting, owed } = await deps.store.finish(row.key, deps.owner, update, now, published);
      return { guestWaiting, owed };
    }
    const { final, guestWaiting, owed } = await deps.store.finish(row.key, deps.owner, update, now);
    if (final) await deps.onFinal(final);
    return { guestWaiting, owed };
  }
}

/** The row as recording a send that went through leaves it: what its outcome event says. */
function sentRow(
  row: OutboxRow,
  update: { wamid: string | undefined },
  attempts: number,
  now: Date,
): OutboxRow {
  return { ...row, state: 'sent', wamid: update.wamid ?? null, finished_at: now, attempts, updated_at: now };
}

function errorCodeOf(outcome: GraphOutcome): number {
  return outcome.type === 'graph_error' ? outcome.code : 0;
}

function storedHeaders(row: OutboxRow): MsgHdrs {
  const h = natsHeaders();
  if (row.traceparent) h.set('traceparent', row.traceparent);
  if (row.tracestate) h.set('tracestate', row.tracestate);
  return h;
}

/** What a dry run logs in production: the shape and sizes, never the guest's number or the text itself. */
function maskBody(body: Record<string, unknown>): Record<string, unknown> {
  const { to, text, ...rest } = body;
  return {
    ...rest,
    ...(to === undefined ? {} : { to: '***' }),
    ...(text === undefined ? {} : { text: `<${JSON.stringify(text).length} bytes>` }),
  };
}
