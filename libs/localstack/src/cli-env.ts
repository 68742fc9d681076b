import { z } from 'zod';

const cliEnvSchema = z.object({
  /** Comma list allowed for rotation; the CLI signs with the first. */
  WHATSAPP_APP_SECRET: z.string().optional(),
  INGRESS_PORT: z.coerce.number().int().positive().optional(),
  POSTGRES_PORT: z.coerce.number().int().positive().optional(),
  POSTGRES_PASSWORD: z.string().min(1).optional(),
});

export type CliEnv = z.infer<typeof cliEnvSchema>;

export function parseCliEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = cliEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
