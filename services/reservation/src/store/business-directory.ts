import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { type BusinessEvent, businessEventSchema } from '@reserveit/contracts';
import type { Logger } from '@reserveit/telemetry';
import { type Business, type BusinessState, evolveBusiness } from '../domain/business.js';

/**
 * Every business, kept current by an ordered consumer on `rsv.biz.>` from the first message:
 * commands need the opening hours and rules of a business on every call, and a few thousand
 * businesses fit in memory. Each replica converges within milliseconds of an append.
 */
export class BusinessDirectory {
  private readonly businesses = new Map<string, { state: Business; seq: number }>();
  private readonly byPhone = new Map<string, string>();
  private caughtUp = false;
  private stopped = false;
  private close: (() => Promise<void>) | undefined;

  /** `onSkipped`: a message of `rsv.biz.>` was not applied (`invalid`: not an event we read; `failed`: it threw). */
  constructor(private readonly onSkipped?: (reason: 'invalid' | 'failed') => void) {}

  get ready(): boolean {
    return this.caughtUp;
  }

  get(businessId: string): Business | undefined {
    return this.businesses.get(businessId)?.state;
  }

  ownerOfPhoneNumber(phoneNumberId: string): string | undefined {
    return this.byPhone.get(phoneNumberId);
  }

  list(): Business[] {
    return [...this.businesses.values()].map((entry) => entry.state);
  }

  /** Folds an event in; a sequence seen already (our own append, then the consumer) is skipped. */
  apply(event: BusinessEvent, seq: number): void {
    const current = this.businesses.get(event.businessId);
    if (current && seq <= current.seq) return;
    const next: BusinessState = evolveBusiness(current?.state, event);
    if (!next) return;
    if (current && current.state.profile.phoneNumberId !== next.profile.phoneNumberId) {
      this.byPhone.delete(current.state.profile.phoneNumberId);
    }
    this.businesses.set(event.businessId, { state: next, seq });
    this.byPhone.set(next.profile.phoneNumberId, event.businessId);
  }

  async start(js: JetStreamClient, stream: string, subjects: string, logger: Logger): Promise<void> {
    const consumer = await js.consumers.get(stream, {
      filter_subjects: subjects,
      deliver_policy: DeliverPolicy.All,
    });
    const info = await consumer.info(true);
    const markCaughtUp = () => {
      this.caughtUp = true;
    };
    if (info.num_pending === 0) markCaughtUp();
    const messages = await consumer.consume();
    this.close = async () => {
      await messages.close();
    };
    void (async () => {
      for await (const message of messages) {
        // One bad message must not end the loop: a throw here would stop this replica following
        // businesses for good while /readyz kept saying ready. It is logged, counted, skipped.
        try {
          const parsed = businessEventSchema.safeParse(message.json());
          if (parsed.success) this.apply(parsed.data, message.seq);
          else {
            this.onSkipped?.('invalid');
            logger.error(
              { seq: message.seq, subject: message.subject, issues: parsed.error.issues.slice(0, 3) },
              'unreadable business event skipped',
            );
          }
        } catch (error) {
          this.onSkipped?.('failed');
          logger.error(
            { err: error, seq: message.seq, subject: message.subject },
            'business event failed and was skipped',
          );
        }
        if (message.info.pending === 0 && !this.caughtUp) markCaughtUp();
      }
    })().catch((error: unknown) => {
      if (!this.stopped) logger.error({ err: error }, 'business directory stopped');
    });
  }

  /** Resolves when the directory has read every business event that existed when it started. */
  async whenCaughtUp(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.caughtUp && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return this.caughtUp;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.close?.();
  }
}
