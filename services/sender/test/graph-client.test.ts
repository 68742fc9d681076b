import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGraphClient } from '../src/graph/graph-client.js';

const options = { version: 'v23.0', accessToken: 't', timeoutMs: 300, connections: 1 };

describe('Graph API client', () => {
  it('reports a refused connection as not having reached Meta', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = createGraphClient({ ...options, baseUrl: `http://127.0.0.1:${port}` });
    try {
      expect(await client.send('1', { to: 'x' })).toMatchObject({
        type: 'network_error',
        reachedMeta: false,
      });
    } finally {
      await client.close();
    }
  });

  it('reports a request that got no answer in time as possibly processed', async () => {
    const server = createServer(() => {
      // Takes the request and never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createGraphClient({ ...options, baseUrl: `http://127.0.0.1:${port}` });
    try {
      expect(await client.send('1', { to: 'x' })).toMatchObject({ type: 'network_error', reachedMeta: true });
    } finally {
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reads an error body without a Graph error as an HTTP error', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createGraphClient({ ...options, baseUrl: `http://127.0.0.1:${port}` });
    try {
      expect(await client.send('1', { to: 'x' })).toEqual({ type: 'http_error', httpStatus: 502 });
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
