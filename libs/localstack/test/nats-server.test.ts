import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

  it('runs the server on one core unless GOMAXPROCS says otherwise', async () => {
    const environOf = (port: number) => {
      for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
          if (cmdline.some((arg) => arg.endsWith('nats-server')) && cmdline.includes(String(port)))
            return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        } catch {
          // A process that ended while the list was read.
        }
      }
      return [];
    };
    const before = process.env.GOMAXPROCS;
    delete process.env.GOMAXPROCS;
    const server = await startNatsServer();
    process.env.GOMAXPROCS = '2';
    const told = await startNatsServer();
    if (before === undefined) delete process.env.GOMAXPROCS;
    else process.env.GOMAXPROCS = before;
    try {
      expect(environOf(server.port)).toContain('GOMAXPROCS=1');
      expect(environOf(told.port)).toContain('GOMAXPROCS=2');
    } finally {
      await Promise.all([server.stop(), told.stop()]);
    }
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
