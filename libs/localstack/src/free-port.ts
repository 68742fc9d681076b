import { createServer } from 'node:net';
import getPort from 'get-port';

/** A TCP port nothing listens on now, other than `exclude` (ports this run already handed out). */
export function freePort(exclude: Iterable<number> = []): Promise<number> {
  return getPort({ exclude });
}

/**
 * True when something on 127.0.0.1 already listens on `port`. Not get-port: it keeps every port it
 * returned locked for 15–30 s (https://github.com/sindresorhus/get-port#beware), so asking it again
 * about the port a restarted nats-server or a new stack wants back would answer "taken".
 */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}
