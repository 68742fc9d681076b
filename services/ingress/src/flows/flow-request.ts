import { z } from 'zod';

/** The encrypted POST body, fields base64 (flow-crypto.ts). */
export const flowEnvelopeSchema = z.object({
  encrypted_flow_data: z.string().min(1).max(1_000_000),
  encrypted_aes_key: z.string().min(1).max(4_096),
  initial_vector: z.string().min(1).max(64),
});

/**
 * A decrypted request (Implementing Endpoints for Flows, "Data exchange request"): a health check
 * `ping`, `INIT` when the Flow opens, `data_exchange` when a Footer submits, `BACK` when the guest
 * goes back; a `data_exchange` whose data has `error` is an error notification
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/flows/guides/implementingyourflowendpoint).
 */
export const flowRequestSchema = z.discriminatedUnion('action', [
  z.object({ version: z.string(), action: z.literal('ping') }),
  z.object({
    version: z.string(),
    action: z.enum(['INIT', 'BACK', 'data_exchange']),
    flow_token: z.string().min(1).max(512),
    screen: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
]);

export type FlowRequest = z.infer<typeof flowRequestSchema>;
