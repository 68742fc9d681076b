import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { freePort, portInUse } from '../src/index.js';

it('freePort returns a port that can be listened on, and portInUse sees it taken while listening', async () => {
  const port = await freePort();
  expect(await portInUse(port)).toBe(false);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  expect(await portInUse(port)).toBe(true);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
