import { parseArgs } from 'node:util';
import { cliStackEnv } from '@reserveit/config';
import { parseCliEnv } from './cli-env.js';
import { sendWebhook } from './send-webhook.js';
import { DEV_WHATSAPP, newWamid } from './webhook-body.js';

export const SEND_USAGE =
  'send <text> [--from <wa_id>] [--name <profile name>] [--phone-number-id <id>] [--url <webhook url>] [--secret <app secret>]';

export async function cliSend(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      name: { type: 'string' },
      'phone-number-id': { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const text = positionals.join(' ');
  if (!text) {
    console.error(`usage: reserveit-stack ${SEND_USAGE}`);
    return 2;
  }
  // The running stack's ingress port unless INGRESS_PORT is set (it moves off a busy 8080).
  const found = cliStackEnv(['INGRESS_PORT']);
  const env = parseCliEnv(found.env);
  const port = env.INGRESS_PORT ?? 8080;
  const where = values.url ? '' : found.describe({ INGRESS_PORT: String(port) });
  if (where) console.error(`reserveit-stack: ${where}`);
  const url = values.url ?? `http://127.0.0.1:${port}/webhooks/whatsapp`;
  const secret = values.secret ?? env.WHATSAPP_APP_SECRET?.split(',')[0]?.trim() ?? DEV_WHATSAPP.appSecret;
  const wamid = newWamid();
  try {
    const sent = await sendWebhook({
      url,
      secret,
      text,
      wamid,
      ...(values.from ? { from: values.from } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(values['phone-number-id'] ? { phoneNumberId: values['phone-number-id'] } : {}),
    });
    console.log(`POST ${url} -> ${sent.status} ${sent.responseBody}`);
    console.log('\nthe same request with curl:');
    console.log(sent.curl);
    const ok = sent.status >= 200 && sent.status < 300;
    if (ok) console.log(`\nwhat became of it, and what the bot answered: pnpm ops trace ${wamid}`);
    return ok ? 0 : 1;
  } catch (err) {
    console.error(`could not POST to ${url}: ${err instanceof Error ? err.message : String(err)}`);
    console.error('is the stack up? start it with `pnpm stack up`');
    return 1;
  }
}
