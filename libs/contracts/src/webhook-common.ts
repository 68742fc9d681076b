import { z } from 'zod';

/**
 * Meta sends every id and timestamp as a string; timestamps are unix seconds (docs/whatsapp.md#payloads).
 * At most 12 digits so the value always fits a Date: toISOString throws on an invalid one.
 */
export const unixSecondsSchema = z.string().regex(/^\d{1,12}$/, 'expected unix seconds as a string');

export function unixSecondsToIso(seconds: string): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/**
 * The webhook error object, which differs from the Graph API error body (docs/whatsapp.md#errors). Only
 * `code` is required: older unsupported-message webhooks carried `code` and `title` and nothing else.
 */
export const webhookErrorSchema = z.looseObject({
  code: z.number(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
  href: z.string().optional(),
});
export type WebhookError = z.infer<typeof webhookErrorSchema>;
