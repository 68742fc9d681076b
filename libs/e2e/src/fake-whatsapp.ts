import { randomBytes } from 'node:crypto';
import { DEV_WHATSAPP, newWamid, serializeLikeMeta, unixSeconds } from '@reserveit/localstack';
import {
  type FakeGraphApi,
  type FakeResponse,
  type RecordedRequest,
  type Responder,
  signedRequest,
  startFakeGraphApi,
} from '@reserveit/testkit';
import { z } from 'zod';
import { E2E_ACCESS_TOKEN } from './system.js';

export interface GuestIdentity {
  /** wa_id: digits, no "+". */
  waId: string;
  name: string;
}

/** What a guest sees of one message the sender sent, read from the request the fake Graph API got. */
export interface Reply {
  /** When the fake Graph API received it. */
  at: Date;
  to: string;
  /** biz_opaque_callback_data: the dedupe key, `<conversation>:<inbound wamid>:<n>`. */
  key: string;
  /** context.message_id: the inbound message it answers. */
  replyTo: string | undefined;
  type: string;
  /** Text body, or the body text of an interactive message. */
  text: string;
  /** Button titles and ids of an interactive button message. */
  buttons: { id: string; title: string }[];
  /** Rows of an interactive list. */
  rows: { id: string; title: string; description?: string | undefined }[];
  /** The Flow an interactive flow message opens: its id, our token and the button's text. */
  flow: { id: string; token: string; cta: string } | undefined;
  /** HTTP status the fake answered. */
  readonly status: number | undefined;
}

const idTitle = z.object({ id: z.string(), title: z.string() });
const sendBody = z.looseObject({
  to: z.string(),
  type: z.string(),
  biz_opaque_callback_data: z.string().default(''),
  context: z.object({ message_id: z.string() }).optional(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .looseObject({
      body: z.object({ text: z.string() }).optional(),
      action: z
        .looseObject({
          buttons: z.array(z.object({ reply: idTitle })).optional(),
          sections: z
            .array(z.object({ rows: z.array(idTitle.extend({ description: z.string().optional() })) }))
            .optional(),
          parameters: z
            .looseObject({ flow_id: z.string(), flow_token: z.string(), flow_cta: z.string() })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});
const readBody = z.object({ status: z.literal('read'), message_id: z.string() });

function replyOf(request: RecordedRequest): Reply | undefined {
  if (!request.authorized || request.phoneNumberId === undefined) return undefined;
  const parsed = sendBody.safeParse(request.body);
  if (!parsed.success) return undefined;
  const body = parsed.data;
  return {
    at: request.at,
    // Set once the fake answered, which may be after the request was first read.
    get status() {
      return request.status;
    },
    to: body.to,
    key: body.biz_opaque_callback_data,
    replyTo: body.context?.message_id,
    type: body.type === 'interactive' ? `interactive` : body.type,
    text: body.text?.body ?? body.interactive?.body?.text ?? '',
    buttons: body.interactive?.action?.buttons?.map((b) => b.reply) ?? [],
    rows: body.interactive?.action?.sections?.flatMap((s) => s.rows) ?? [],
    flow: body.interactive?.action?.parameters && {
      id: body.interactive.action.parameters.flow_id,
      token: body.interactive.action.parameters.flow_token,
      cta: body.interactive.action.parameters.flow_cta,
    },
  };
}

export interface FakeWhatsAppOptions {
  /**
   * Answer every accepted message with a `sent` status webhook carrying its
   * biz_opaque_callback_data, as Meta does (docs/whatsapp.md#statuses): the sender reconciles a send whose
   * answer it lost by it. Needs `connect()`.
   */
  echoStatuses?: boolean;
  /** Delay before the `sent` status webhook; default 20 ms. The `delivered` one follows 2 s later. */
  echoDelayMs?: number;
  /**
   * How a status webhook is delivered, given one attempt (its HTTP status, 0 for no answer):
   * default once; a fault run resends it as Meta does until ingress takes it (faults/meta-delivery.ts).
   */
  deliverEcho?: (attempt: (signal: AbortSignal) => Promise<number>) => Promise<number>;
}

interface Target {
  webhookUrl: string;
  appSecret: string;
}

/**
 * Both sides of WhatsApp for a test: Meta's webhooks to ingress (signed, serialized like Meta)
 * and the Graph API the sender calls (testkit's fake on a real socket), with the replies read back
 * per guest and per inbound message.
 */
export class FakeWhatsApp {
  private target: Target | undefined;
  private custom: Responder | undefined;
  private readonly echoes = new Set<Promise<void>>();
  private indexed = 0;
  private readonly sends: Reply[] = [];
  private readonly readIds: string[] = [];
  private readonly byInbound = new Map<string, Reply[]>();
  /** The wamid the fake Graph API gave each sent message, by its key. */
  private readonly sentIds = new Map<string, string>();
  /** Status webhooks ingress did not take (it answered non-200 or was unreachable). */
  echoFailures = 0;
  /** Who waits for the first reply to an inbound message (firstReply). */
  private readonly replyWaiters = new Map<string, (at: number) => void>();

  private constructor(
    readonly graph: FakeGraphApi,
    private readonly options: FakeWhatsAppOptions,
  ) {
    graph.respondWith((request) => this.answer(request));
  }

  static async start(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
    return new FakeWhatsApp(await startFakeGraphApi({ accessToken: E2E_ACCESS_TOKEN }), options);
  }

  get graphBaseUrl(): string {
    return this.graph.baseUrl;
  }

  /** Where webhooks go: the running system's ingress. */
  connect(target: Target): void {
    this.target = target;
  }

  /** Custom Graph API answers (undefined: the default success); return undefined to fall through. */
  respond(fn: Responder | undefined): void {
    this.custom = fn;
  }

  /** Every message send the Graph API received (mark-as-read excluded), oldest first. */
  replies(): Reply[] {
    this.index();
    return [...this.sends];
  }

  /** Inbound wamids the sender marked as read (once per request received). */
  reads(): string[] {
    this.index();
    return [...this.readIds];
  }

  /** Sends answered 200 that quote this inbound message. */
  repliesTo(wamid: string): Reply[] {
    this.index();
    return (this.byInbound.get(wamid) ?? []).filter((reply) => reply.status === 200);
  }

  /** Reads the requests that came in since the last call (a long run polls this often). */
  private index(): void {
    const requests = this.graph.requests;
    for (; this.indexed < requests.length; this.indexed++) {
      const request = requests[this.indexed];
      if (!request) continue;
      const reply = replyOf(request);
      if (reply) {
        this.sends.push(reply);
        if (reply.replyTo) {
          const list = this.byInbound.get(reply.replyTo) ?? [];
          list.push(reply);
          this.byInbound.set(reply.replyTo, list);
        }
        continue;
      }
      const read = readBody.safeParse(request.body);
      if (read.success) this.readIds.push(read.data.message_id);
    }
  }

  /** POSTs a body to ingress, signed over exactly the bytes sent; returns the HTTP status. */
  async post(body: unknown, signal?: AbortSignal): Promise<number> {
    const target = this.requireTarget();
    const signed = signedRequest(serializeLikeMeta(body), target.appSecret);
    const response = await fetch(target.webhookUrl, {
      method: 'POST',
      headers: signed.headers,
      body: signed.payload,
      ...(signal ? { signal } : {}),
    });
    await response.body?.cancel();
    return response.status;
  }

  /** A guest's text message (to the demo restaurant unless another number is given); resolves with its wamid once ingress answered 200. */
  async text(
    guest: GuestIdentity,
    text: string,
    wamid: string = newWamid(),
    phoneNumberId?: string,
  ): Promise<string> {
    await this.deliver(messageWebhook(guest, { type: 'text', text: { body: text } }, wamid, phoneNumberId));
    return wamid;
  }

  /**
   * A guest's tap on a reply button, as Meta reports it: an `interactive.button_reply` message whose
   * context names the message that carried the button.
   */
  async tap(guest: GuestIdentity, button: { id: string; title: string }, on?: Reply): Promise<string> {
    const wamid = newWamid();
    await this.deliver(
      messageWebhook(
        guest,
        {
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: button },
          ...(on
            ? {
                context: {
                  from: DEV_WHATSAPP.displayPhoneNumber,
                  id: this.sentIds.get(on.key) ?? newWamid(),
                },
              }
            : {}),
        },
        wamid,
      ),
    );
    return wamid;
  }

  /**
   * A guest submitting a WhatsApp Flow, as Meta reports it: an `interactive.nfm_reply` message
   * whose `response_json` is the Flow's completion payload (with its flow_token) as a string.
   */
  async completeFlow(guest: GuestIdentity, response: Record<string, unknown>): Promise<string> {
    const wamid = newWamid();
    await this.deliver(
      messageWebhook(
        guest,
        {
          type: 'interactive',
          interactive: {
            type: 'nfm_reply',
            nfm_reply: { response_json: JSON.stringify(response), body: 'Sent', name: 'flow' },
          },
        },
        wamid,
      ),
    );
    return wamid;
  }

  /**
   * The replies to one inbound message once they stopped coming: at least one answered 200, then
   * none new for `settleMs`; or, with `until`, as soon as the replies so far satisfy it.
   */
  async answerTo(
    wamid: string,
    {
      timeoutMs = 15_000,
      settleMs = 300,
      until,
    }: { timeoutMs?: number; settleMs?: number; until?: (replies: Reply[]) => boolean } = {},
  ): Promise<Reply[]> {
    const deadline = Date.now() + timeoutMs;
    let seen = 0;
    let stableSince = Date.now();
    for (;;) {
      const replies = this.repliesTo(wamid);
      if (until) {
        if (until(replies)) return replies;
      } else if (replies.length !== seen) {
        seen = replies.length;
        stableSince = Date.now();
      } else if (seen > 0 && Date.now() - stableSince >= settleMs) {
        return replies;
      }
      if (Date.now() > deadline) {
        throw new Error(`no reply to ${wamid} within ${timeoutMs} ms (${seen} so far)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * When the first reply to an inbound message got the default success answer (ms since the epoch), or undefined
   * after `timeoutMs`. Resolved as the Graph API answers, so a load generator with many guests
   * waiting does not poll.
   */
  firstReply(wamid: string, timeoutMs: number): Promise<number | undefined> {
    const already = this.repliesTo(wamid)[0];
    if (already) return Promise.resolve(already.at.getTime());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.replyWaiters.delete(wamid);
        resolve(undefined);
      }, timeoutMs);
      this.replyWaiters.set(wamid, (at) => {
        clearTimeout(timer);
        this.replyWaiters.delete(wamid);
        resolve(at);
      });
    });
  }

  /** Waits for the status webhooks still in flight. */
  async settleEchoes(): Promise<void> {
    while (this.echoes.size > 0) await Promise.all([...this.echoes]);
  }

  async close(): Promise<void> {
    await this.settleEchoes();
    await this.graph.close();
  }

  private async deliver(body: unknown): Promise<void> {
    const status = await this.post(body);
    if (status !== 200) throw new Error(`ingress answered ${status} to a signed webhook`);
  }

  private requireTarget(): Target {
    if (!this.target) throw new Error('FakeWhatsApp.connect() was not called');
    return this.target;
  }

  private answer(request: RecordedRequest): FakeResponse | undefined {
    const custom = this.custom?.(request);
    if (custom) return custom;
    const reply = replyOf(request);
    if (!reply) return undefined;
    const id = `wamid.${randomBytes(24).toString('base64url')}`;
    if (reply.key) this.sentIds.set(reply.key, id);
    if (this.options.echoStatuses && reply.key) this.echo(request.phoneNumberId ?? '', reply, id);
    if (reply.replyTo) this.replyWaiters.get(reply.replyTo)?.(reply.at.getTime());
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: reply.to, wa_id: reply.to }],
        messages: [{ id }],
      },
    };
  }

  private echo(phoneNumberId: string, reply: Reply, wamid: string): void {
    const run = (async () => {
      // Two statuses, like Meta: a sender that dies right after the first may never see it (it was
      // handed to the dead process), and must still not send the message again.
      for (const [status, delayMs] of [
        ['sent', this.options.echoDelayMs ?? 20],
        ['delivered', 2_000],
      ] as const) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const body = echoedStatusWebhook(phoneNumberId, reply, wamid, status);
        const attempt = (signal: AbortSignal) => this.post(body, signal).catch(() => 0);
        const deliver = this.options.deliverEcho ?? ((once) => once(AbortSignal.timeout(30_000)));
        const answer = await deliver(attempt);
        if (answer !== 200) this.echoFailures++;
      }
    })();
    this.echoes.add(run);
    void run.finally(() => this.echoes.delete(run));
  }
}

function business(phoneNumberId: string = DEV_WHATSAPP.phoneNumberId) {
  return { display_phone_number: DEV_WHATSAPP.displayPhoneNumber, phone_number_id: phoneNumberId };
}

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: DEV_WHATSAPP.wabaId, changes: [{ field: 'messages', value }] }],
  };
}

/** One inbound message of any type from a guest to a restaurant (the demo one by default), in Meta's shape (docs/whatsapp.md#payloads). */
export function messageWebhook(
  guest: GuestIdentity,
  content: Record<string, unknown>,
  wamid: string,
  phoneNumberId?: string,
) {
  return envelope({
    messaging_product: 'whatsapp',
    metadata: business(phoneNumberId),
    contacts: [{ profile: { name: guest.name }, wa_id: guest.waId }],
    messages: [{ from: guest.waId, id: wamid, timestamp: unixSeconds(), ...content }],
  });
}

/** A status of a message we sent, echoing its biz_opaque_callback_data as Meta does (docs/whatsapp.md#statuses). */
export function echoedStatusWebhook(
  phoneNumberId: string,
  reply: Reply,
  wamid: string,
  status: 'sent' | 'delivered' | 'read',
) {
  return envelope({
    messaging_product: 'whatsapp',
    metadata: business(phoneNumberId),
    statuses: [
      {
        id: wamid,
        status,
        timestamp: unixSeconds(),
        recipient_id: reply.to,
        biz_opaque_callback_data: reply.key,
        conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'service' } },
        pricing: { billable: true, pricing_model: 'PMP', category: 'service', type: 'regular' },
      },
    ],
  });
}
