import type { Reply } from './types.js';

/**
 * WhatsApp's limits (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages,
 * enforced again by libs/contracts/src/outbound.ts): text 4096, button body 1024, 3 buttons
 * titled ≤ 20, list body 1024, button label ≤ 20, ≤ 10 rows titled ≤ 24 with descriptions ≤ 72.
 * Every reply is built through these functions so none can break a limit, whatever the data
 * (a restaurant's 40-character dish name, a guest's long name).
 */
export const LIMITS = {
  text: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listButton: 20,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  buttonId: 256,
  /** flow_cta of an interactive flow message (…/flows/guides/sendingaflow). */
  flowCta: 20,
} as const;

/** Cuts to `max` UTF-16 units (what the outbound schema counts), ending in an ellipsis when cut. */
export function fit(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  return `${trimmed.slice(0, max - 1).trimEnd()}…`;
}

export function text(body: string): Reply {
  return { kind: 'text', body: fit(body, LIMITS.text) };
}

/** Up to three buttons with unique titles; duplicates after cutting are dropped. */
export function buttons(body: string, list: { id: string; title: string }[]): Reply {
  const seen = new Set<string>();
  const kept: { id: string; title: string }[] = [];
  for (const button of list) {
    const title = fit(button.title, LIMITS.buttonTitle);
    if (seen.has(title) || kept.length === LIMITS.buttons) continue;
    seen.add(title);
    kept.push({ id: fit(button.id, LIMITS.buttonId), title });
  }
  return { kind: 'buttons', body: fit(body, LIMITS.interactiveBody), buttons: kept };
}

export function list(
  body: string,
  button: string,
  rows: { id: string; title: string; description?: string }[],
): Reply {
  return {
    kind: 'list',
    body: fit(body, LIMITS.interactiveBody),
    button: fit(button, LIMITS.listButton),
    rows: rows.slice(0, LIMITS.rows).map((row) => ({
      id: fit(row.id, LIMITS.rowId),
      title: fit(row.title, LIMITS.rowTitle),
      ...(row.description ? { description: fit(row.description, LIMITS.rowDescription) } : {}),
    })),
  };
}

/** A message opening a WhatsApp Flow: `cta` is its button. */
export function flow(body: string, cta: string, flowId: string, flowToken: string): Reply {
  return {
    kind: 'flow',
    body: fit(body, LIMITS.interactiveBody),
    cta: fit(cta, LIMITS.flowCta),
    flowId,
    flowToken,
  };
}

/** The reply with `lead` (a greeting) before its body, as one message. */
export function led(lead: string, reply: Reply): Reply {
  if (reply.kind === 'text') return text(`${lead}\n${reply.body}`);
  return { ...reply, body: fit(`${lead}\n${reply.body}`, LIMITS.interactiveBody) };
}
