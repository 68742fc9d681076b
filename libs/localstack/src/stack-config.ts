import { readFileSync } from 'node:fs';
import { z } from 'zod';

const readinessSchema = z.union([
  z.strictObject({
    http: z.string().min(1).describe('URL answering 2xx when ready; may reference variables'),
  }),
  z.strictObject({
    tcp: z.union([z.number().int().positive(), z.string().min(1)]).describe('port, or a variable reference'),
  }),
]);

const linkSchema = z.union([
  z.string().min(1),
  z.strictObject({ url: z.string().min(1), name: z.string().min(1) }),
]);

const varName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment variable names are UPPER_SNAKE_CASE');

const processSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'process names are lower-kebab-case'),
  /** Run with `bash -c` from the repo root; `$VAR` is expanded by bash from the process env. */
  command: z.string().min(1),
  /** Extra env for this process; values may reference `${VAR}` from the computed environment. */
  env: z.record(varName, z.string()).default({}),
  /**
   * Every port the process listens on, each chosen through an env var: `default` unless the var is
   * set; when the default is busy (say a system nats-server on 4222) the runner picks a free port
   * instead. The chosen value is in the environment of this and later processes (`${INTENT_GRPC_PORT}`),
   * so addresses others use are interpolated from it, never written twice.
   */
  ports: z
    .array(z.strictObject({ env: varName, default: z.number().int().positive().max(65535) }))
    .default([]),
  /** Variables this process provides to later ones (e.g. NATS_URL), values may use `${VAR}`. */
  exports: z.record(varName, z.string()).default({}),
  readiness: readinessSchema.optional(),
  readinessTimeoutMs: z.number().int().positive().default(60_000),
  deps: z.array(z.string()).default([]),
  labels: z.array(z.string()).default([]),
  links: z.array(linkSchema).default([]),
  /** Paths (from the repo root) whose changes restart the process under Tilt. */
  watch: z.array(z.string()).default([]),
  /** When this env var is set, the process is not started: the variable points at an existing one. */
  skipWhenEnv: varName.optional(),
  /** Needs `pnpm install && pnpm build` first (Tilt's `build` resource). */
  needsBuild: z.boolean().default(true),
});

export const stackConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Defaults for every process; a variable already in the environment wins. */
    env: z.record(varName, z.string()).default({}),
    /** Where `send` posts once the stack is up; may use `${VAR}`. */
    webhookUrl: z.string().optional(),
    processes: z.array(processSchema).min(1),
  })
  .superRefine((stack, ctx) => {
    const names = new Set<string>();
    const portVars = new Set<string>();
    for (const p of stack.processes) {
      if (names.has(p.name)) ctx.addIssue({ code: 'custom', message: `duplicate process name "${p.name}"` });
      names.add(p.name);
      for (const port of p.ports) {
        if (portVars.has(port.env))
          ctx.addIssue({ code: 'custom', message: `port variable ${port.env} is used twice` });
        portVars.add(port.env);
      }
    }
    for (const p of stack.processes) {
      for (const dep of p.deps) {
        if (!names.has(dep))
          ctx.addIssue({ code: 'custom', message: `"${p.name}" depends on unknown "${dep}"` });
      }
    }
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type StackProcess = StackConfig['processes'][number];
export type StackReadiness = NonNullable<StackProcess['readiness']>;

/** Reads and validates a stack.json; errors name the file and the offending field. */
export function loadStackConfig(path: string): StackConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read stack file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid stack file ${path}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Processes ordered so each comes after its deps; file order breaks ties. Throws on a cycle. */
export function startOrder(processes: StackProcess[]): StackProcess[] {
  const byName = new Map(processes.map((p) => [p.name, p]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: StackProcess[] = [];
  const visit = (p: StackProcess, path: string[]): void => {
    if (done.has(p.name)) return;
    if (visiting.has(p.name)) throw new Error(`dependency cycle: ${[...path, p.name].join(' -> ')}`);
    visiting.add(p.name);
    for (const dep of p.deps) {
      const d = byName.get(dep);
      if (d) visit(d, [...path, p.name]);
    }
    visiting.delete(p.name);
    done.add(p.name);
    order.push(p);
  };
  for (const p of processes) visit(p, []);
  return order;
}

/** Replaces `${VAR}` from `env`; a missing variable is an error naming where it was used. */
export function interpolate(
  template: string,
  env: Record<string, string | undefined>,
  where: string,
): string {
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`${where} references \${${name}}, which is not set`);
    return value;
  });
}
