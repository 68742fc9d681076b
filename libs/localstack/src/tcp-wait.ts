import { connect } from 'node:net';

export interface TcpWaitOptions {
  host?: string;
  port: number;
  timeoutMs: number;
  /** Resolve only once the server's first line passes this check (e.g. the NATS `INFO` line). */
  acceptGreeting?: (line: string) => boolean;
  /** Stop early when the process under test already died. */
  isDead?: () => string | undefined;
}

function attempt(
  host: string,
  port: number,
  acceptGreeting: TcpWaitOptions['acceptGreeting'],
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (acceptGreeting === undefined) done(true);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\n');
      if (acceptGreeting !== undefined && end >= 0) done(acceptGreeting(received.slice(0, end)));
    });
  });
}

/**
 * Polls until a TCP server accepts (and optionally greets as `acceptGreeting` wants) or the deadline
 * passes. Not wait-on: its tcp resource cannot read a greeting (a port taken by something other
 * than nats-server would pass) nor stop when the process under test already died, which turns a
 * crash into a full timeout.
 */
export async function waitForTcp(options: TcpWaitOptions): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const dead = options.isDead?.();
    if (dead) throw new Error(dead);
    if (await attempt(host, options.port, options.acceptGreeting)) return;
    if (Date.now() > deadline) {
      throw new Error(`nothing answered on ${host}:${options.port} within ${options.timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
