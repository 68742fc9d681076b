import { type StatusReceivedEvent, statusReceivedEventSchema } from '@reserveit/contracts';

/** A `whatsapp.status.received` event as ingress publishes it (Msg-Id = its id, `<wamid>:<status>`). */
export function statusReceivedEvent(input: {
  wamid: string;
  status: string;
  phoneNumberId: string;
  recipient: string;
  at?: Date;
  callbackKey?: string;
}): StatusReceivedEvent {
  const at = input.at ?? new Date();
  return statusReceivedEventSchema.parse({
    v: 1,
    type: 'whatsapp.status.received',
    id: `${input.wamid}:${input.status}`,
    rawId: 'raw-test',
    receivedAt: new Date().toISOString(),
    occurredAt: at.toISOString(),
    wabaId: 'waba-1',
    phoneNumberId: input.phoneNumberId,
    displayPhoneNumber: '15550001111',
    recipientId: input.recipient,
    status: {
      id: input.wamid,
      status: input.status,
      timestamp: String(Math.floor(at.getTime() / 1000)),
      recipient_id: input.recipient,
      ...(input.callbackKey ? { biz_opaque_callback_data: input.callbackKey } : {}),
    },
  });
}
