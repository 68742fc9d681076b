import { z } from 'zod';

/** The target for the open-loop phase: webhook → first reply at the Graph API. */
export const TARGET = { rate: 300, p99Ms: 250 };

/** One bench:e2e run, as bench:e2e:series collects it (BENCH_SUMMARY_FILE, a JSON line per run). */
export const runSummarySchema = z.object({
  /** Closed loop: answered messages per second, and the p99 of webhook → first reply (ms). */
  closedRate: z.number(),
  closedP99: z.number().optional(),
  /** Who wrote in the open-loop phase: guests with a conversation already, or guests never seen. */
  guests: z.enum(['repeat', 'new']),
  /** Open loop: messages offered and replies arriving in the measured window, per second. */
  offered: z.number(),
  arriving: z.number(),
  p50: z.number().optional(),
  p95: z.number().optional(),
  p99: z.number().optional(),
  max: z.number().optional(),
  n: z.number(),
  /** Machine CPU in the open-loop window. */
  cpuPerMessage: z.number().optional(),
  busyPercent: z.number().optional(),
  /** CPU of the five services and the bench's nats-server in the window, per answered message. */
  systemCpuPerMessage: z.number().optional(),
  /** Whether the gRPC servers verified caller tokens (BENCH_AUTH). */
  auth: z.enum(['on', 'off']).optional(),
  /** JetStream publish → pull consume, one at a time, on the same server (ms). */
  baselineP50: z.number().optional(),
  met: z.boolean(),
});

export type RunSummary = z.infer<typeof runSummarySchema>;
