import { interpolate, type StackProcess } from './stack-config.js';
import { waitForTcp } from './tcp-wait.js';

async function probeHttp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Resolves once the process's readiness check passes (at once without one); rejects when it
 * times out or `isDead` says the process is gone.
 */
export async function waitReady(
  proc: StackProcess,
  env: Record<string, string>,
  isDead: () => string | undefined,
): Promise<void> {
  const readiness = proc.readiness;
  const where = `process "${proc.name}" readiness`;
  if (!readiness) return;
  if ('tcp' in readiness) {
    const port = Number(
      typeof readiness.tcp === 'number' ? readiness.tcp : interpolate(readiness.tcp, env, where),
    );
    if (!Number.isInteger(port))
      throw new Error(`${where}: tcp port ${String(readiness.tcp)} is not a number`);
    await waitForTcp({ port, timeoutMs: proc.readinessTimeoutMs, isDead }).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (tcp ${port})`);
    });
    return;
  }
  const url = interpolate(readiness.http, env, where);
  const deadline = Date.now() + proc.readinessTimeoutMs;
  for (;;) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    if (await probeHttp(url)) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer 2xx within ${proc.readinessTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
