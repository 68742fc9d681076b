import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChannelCredentials, credentials, status } from '@grpc/grpc-js';
import { ensureDevCertificates } from '@reserveit/localstack';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  IntentServiceClient,
  IntentServiceService,
  InterpretRequest,
  InterpretResponse,
} from '../src/gen/intent/v1/intent.js';
import {
  type ClientTlsMaterial,
  callerOptions,
  channelCredentials,
  type RunningGrpcServer,
  type ServerTlsMaterial,
  startGrpcServer,
  unaryCall,
} from '../src/index.js';

// gRPC over TLS with the development certificates, on real sockets (issue 16).
let root: string;
let serverTls: ServerTlsMaterial;
let trusted: ClientTlsMaterial;
let stranger: ClientTlsMaterial;
let server: RunningGrpcServer;
let handled = 0;
const caller = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    seed: privateKey.export({ format: 'jwk' }).d ?? '',
    publicKey: publicKey.export({ format: 'jwk' }).x ?? '',
  };
})();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reserveit-grpc-tls-'));
  const certs = await ensureDevCertificates(join(root, 'ours'));
  const otherCa = await ensureDevCertificates(join(root, 'theirs'));
  serverTls = { cert: await readFile(certs.certFile), key: await readFile(certs.keyFile) };
  trusted = { ca: await readFile(certs.caFile) };
  stranger = { ca: await readFile(otherCa.caFile) };
  server = await startGrpcServer(
    '127.0.0.1',
    0,
    [
      {
        definition: IntentServiceService,
        implementation: {
          interpret: (_call: unknown, callback: (error: null, response: object) => void) => {
            handled += 1;
            callback(null, InterpretResponse.fromPartial({}));
          },
        },
        name: 'intent.v1.IntentService',
      },
    ],
    {
      audience: 'intent',
      trustedKeys: [{ caller: 'conversation', publicKey: caller.publicKey }],
      logger: { warn: () => undefined },
      refused: { inc: () => undefined },
    },
    serverTls,
  );
});
afterAll(async () => {
  await server?.stop(100);
  await rm(root, { recursive: true, force: true });
});

const interpret = async (host: string, channel: ChannelCredentials): Promise<status> => {
  const client = new IntentServiceClient(
    `${host}:${server.port}`,
    channel,
    callerOptions('conversation', caller.seed),
  );
  try {
    await unaryCall(client, client.interpret, InterpretRequest.fromPartial({ text: 'hi' }), 3_000);
    return status.OK;
  } catch (error) {
    return (error as { code: status }).code;
  } finally {
    client.close();
  }
};

it('answers a client that trusts the development CA, by IP address and by name', async () => {
  const before = handled;
  expect(await interpret('127.0.0.1', channelCredentials(trusted))).toBe(status.OK);
  expect(await interpret('localhost', channelCredentials(trusted))).toBe(status.OK);
  expect(handled).toBe(before + 2);
});

it('a client trusting another CA or only the system roots is refused before any handler runs', async () => {
  const before = handled;
  expect(await interpret('127.0.0.1', channelCredentials(stranger))).toBe(status.UNAVAILABLE);
  expect(await interpret('127.0.0.1', credentials.createSsl())).toBe(status.UNAVAILABLE);
  expect(handled).toBe(before);
});

it('a plaintext client gets nothing from a TLS server', async () => {
  const before = handled;
  expect(await interpret('127.0.0.1', channelCredentials(undefined))).toBe(status.UNAVAILABLE);
  expect(handled).toBe(before);
});
