import { webhookSignature } from '@reserveit/contracts';
import { DEV_WHATSAPP, serializeLikeMeta, type TextMessageInput, textMessageBody } from './webhook-body.js';

export interface SendWebhookOptions extends TextMessageInput {
  /** Ingress webhook URL, e.g. http://127.0.0.1:8080/webhooks/whatsapp */
  url: string;
  /** WHATSAPP_APP_SECRET; default the dev secret. */
  secret?: string;
}

export interface SentWebhook {
  status: number;
  responseBody: string;
  /** Exactly the bytes that were signed and sent. */
  payload: string;
  signature: string;
  /** The same request as a shell command. */
  curl: string;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(url: string, payload: string, signature: string): string {
  return [
    'curl -sS -i -X POST',
    shellQuote(url),
    "-H 'content-type: application/json'",
    `-H ${shellQuote(`x-hub-signature-256: ${signature}`)}`,
    `--data-binary ${shellQuote(payload)}`,
  ].join(' ');
}

/** Posts one signed inbound text message to the ingress, the way Meta would. */
export async function sendWebhook(opts: SendWebhookOptions): Promise<SentWebhook> {
  const payload = serializeLikeMeta(textMessageBody(opts));
  const signature = webhookSignature(payload, opts.secret ?? DEV_WHATSAPP.appSecret);
  const res = await fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body: payload,
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: res.status,
    responseBody: await res.text(),
    payload,
    signature,
    curl: curlCommand(opts.url, payload, signature),
  };
}
