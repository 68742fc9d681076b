import { existsSync } from 'node:fs';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { startNatsServer } from '../src/index.js';

describe('startNatsServer', () => {
  it('serves JetStream on a free port and keeps the store across kill and restart', async () => {
    const server = await startNatsServer();
    try {
      expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
      const nc = await connect({ servers: server.url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'LOCALSTACK_T', subjects: ['localstack.t.>'] });
      const ack = await jetstream(nc).publish('localstack.t.one', 'hello');
      expect(ack.seq).toBe(1);
      await nc.close();

      await server.kill();
      await server.restart();

      const nc2 = await connect({ servers: server.url });
      const info = await (await jetstreamManager(nc2)).streams.info('LOCALSTACK_T');
      expect(info.state.messages).toBe(1);
      await nc2.close();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.storeDir)).toBe(false);
  });

  it('refuses to start when the port is already taken instead of mistaking the other server for its own', async () => {
    const first = await startNatsServer();
    try {
      await expect(startNatsServer({ port: first.port, readyTimeoutMs: 5_000 })).rejects.toThrow(
        /already in use/,
      );
    } finally {
      await first.stop();
    }
  });
});
