import { fileURLToPath } from 'node:url';
import { runNodeScript, type ScriptRun } from '@reserveit/testkit';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export type OpsRun = ScriptRun;

/** The built bin as a real child process (`pnpm build` first), with the test's NATS/Postgres. */
export function runOps(args: string[], env: Record<string, string>): Promise<OpsRun> {
  return runNodeScript(CLI, args, env);
}
