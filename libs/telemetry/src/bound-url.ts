import type { AddressInfo } from 'node:net';

/**
 * The URL of the socket a server really bound, read from the socket. Fastify's listen() answers
 * http://127.0.0.1:… for a server on all interfaces, which a startup log must not repeat.
 */
export function boundUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string')
    throw new Error(`expected a TCP listener, got ${address === null ? 'none' : `pipe ${address}`}`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
