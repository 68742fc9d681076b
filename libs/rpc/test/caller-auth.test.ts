import { generateKeyPairSync } from 'node:crypto';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { RPC_AUDIENCES, RPC_POLICY } from '@reserveit/contracts';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConversationServiceService } from '../src/gen/conversation/v1/conversation.js';
import {
  IntentServiceClient,
  IntentServiceService,
  InterpretRequest,
  InterpretResponse,
} from '../src/gen/intent/v1/intent.js';
import { ReservationServiceService } from '../src/gen/reservation/v1/reservation.js';
import {
  audienceOf,
  type CallerAuth,
  decideCall,
  startGrpcServer,
  tokenSigner,
  unaryCall,
} from '../src/index.js';

const keyPair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    seed: privateKey.export({ format: 'jwk' }).d ?? '',
    publicKey: publicKey.export({ format: 'jwk' }).x ?? '',
    keyObject: privateKey,
  };
};

describe('the policy table', () => {
  const generated = [ReservationServiceService, ConversationServiceService, IntentServiceService].flatMap(
    (definition) => Object.values(definition).map((method) => method.path.slice(1)),
  );

  it('names every generated method, and no method that does not exist', () => {
    expect(generated.filter((path) => !RPC_POLICY[path])).toEqual([]);
    expect(Object.keys(RPC_POLICY).filter((path) => !generated.includes(path))).toEqual([]);
  });

  it('maps every service to an audience', () => {
    for (const path of generated) expect(RPC_AUDIENCES).toContain(audienceOf(`/${path}`));
  });
});

describe('decideCall', () => {
  const console = (restaurants?: string[]) => ({ name: 'console' as const, restaurants, staff: 'maria' });
  const dialogue = { name: 'conversation' as const, restaurants: undefined, staff: undefined };

  it('allows the callers the table lists and refuses the rest and unknown methods', () => {
    expect(decideCall('/intent.v1.IntentService/Interpret', dialogue, {}).allowed).toBe(true);
    expect(decideCall('/intent.v1.IntentService/Interpret', console(['a']), {}).allowed).toBe(false);
    expect(decideCall('/reservation.v1.ReservationService/Unknown', dialogue, {}).allowed).toBe(false);
    expect(
      decideCall('/conversation.v1.ConversationService/LocateMessage', { ...dialogue, name: 'ops' }, {})
        .allowed,
    ).toBe(true);
  });

  it("holds a console call to its token's restaurants, except the calls made for no session", () => {
    const sheet = '/reservation.v1.ReservationService/GetDaySheet';
    expect(decideCall(sheet, console(['a', 'b']), { businessId: 'b' }).allowed).toBe(true);
    expect(decideCall(sheet, console(['a']), { businessId: 'b' }).allowed).toBe(false);
    expect(decideCall(sheet, console(['a']), { businessId: '' }).allowed).toBe(false);
    expect(decideCall(sheet, console(undefined), { businessId: 'a' }).allowed).toBe(false);
    expect(
      decideCall('/reservation.v1.ReservationService/ListBusinesses', console(undefined), {}).allowed,
    ).toBe(true);
  });
});

describe('a guarded server', () => {
  const trusted = keyPair();
  const rotated = keyPair();

  const withServer = async (
    run: (address: string, refusals: string[]) => Promise<void>,
    options: Pick<CallerAuth, 'verifySignatures' | 'now'> = {},
  ) => {
    const refusals: string[] = [];
    const logged: object[] = [];
    const server = await startGrpcServer(
      '127.0.0.1',
      0,
      [
        {
          definition: IntentServiceService,
          implementation: {
            interpret: (_call: unknown, callback: (error: null, response: object) => void) =>
              callback(null, InterpretResponse.fromPartial({})),
          },
          name: 'intent.v1.IntentService',
        },
      ],
      {
        audience: 'intent',
        trustedKeys: [
          { caller: 'conversation', publicKey: trusted.publicKey },
          { caller: 'conversation', publicKey: rotated.publicKey },
        ],
        logger: { warn: (details) => logged.push(details) },
        refused: { inc: ({ code }) => refusals.push(code) },
        ...options,
      },
    );
    try {
      await run(`127.0.0.1:${server.port}`, refusals);
      // What is logged names the method and the reason, never the token.
      expect(JSON.stringify(logged)).not.toMatch(/eyJ/);
    } finally {
      await server.stop(100);
    }
  };

  const interpret = (address: string, token?: string) => {
    const client = new IntentServiceClient(address, credentials.createInsecure());
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return unaryCall(client, client.interpret, InterpretRequest.fromPartial({ text: 'hi' }), 5_000, metadata)
      .then(
        () => status.OK,
        (error: { code: status }) => error.code,
      )
      .finally(() => client.close());
  };

  it('accepts either key of a rotation, and refuses tokens living longer than 60 s or without exp', async () => {
    await withServer(async (address, refusals) => {
      expect(await interpret(address, await tokenSigner('conversation', trusted.seed)('intent'))).toBe(
        status.OK,
      );
      expect(await interpret(address, await tokenSigner('conversation', rotated.seed)('intent'))).toBe(
        status.OK,
      );
      const iat = Math.floor(Date.now() / 1000);
      const long = await new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('conversation')
        .setAudience('intent')
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3_600)
        .sign(trusted.keyObject);
      expect(await interpret(address, long)).toBe(status.UNAUTHENTICATED);
      const endless = await new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('conversation')
        .setAudience('intent')
        .setIssuedAt(iat)
        .sign(trusted.keyObject);
      expect(await interpret(address, endless)).toBe(status.UNAUTHENTICATED);
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
        JSON.stringify({ iss: 'conversation', aud: 'intent', iat, exp: iat + 30 }),
      ).toString('base64url')}.`;
      expect(await interpret(address, unsigned)).toBe(status.UNAUTHENTICATED);
      expect(await interpret(address, await tokenSigner('ops', trusted.seed)('intent'))).toBe(
        status.UNAUTHENTICATED,
      );
      expect(refusals).toEqual(Array(4).fill('UNAUTHENTICATED'));
    });
  });

  it('without signature checks (RPC_VERIFY_CALLERS=false) still applies the policy to the claimed caller', async () => {
    await withServer(
      async (address, refusals) => {
        const stranger = keyPair();
        expect(await interpret(address, await tokenSigner('conversation', stranger.seed)('intent'))).toBe(
          status.OK,
        );
        expect(await interpret(address, await tokenSigner('console', stranger.seed)('intent'))).toBe(
          status.PERMISSION_DENIED,
        );
        expect(await interpret(address)).toBe(status.UNAUTHENTICATED);
        expect(refusals).toEqual(['PERMISSION_DENIED', 'UNAUTHENTICATED']);
      },
      { verifySignatures: false },
    );
  });

  it('remembers a verified token only until it expires', async () => {
    let now = Date.now();
    await withServer(
      async (address, refusals) => {
        const token = await tokenSigner('conversation', trusted.seed, () => now)('intent');
        expect(await interpret(address, token)).toBe(status.OK);
        now += 64_000;
        expect(await interpret(address, token)).toBe(status.OK);
        now += 2_000;
        expect(await interpret(address, token)).toBe(status.UNAUTHENTICATED);
        expect(refusals).toEqual(['UNAUTHENTICATED']);
      },
      { now: () => now },
    );
  });

  it('reuses a token for at most 30 s, and it expires 60 s after it was signed', async () => {
    let now = Date.parse('2026-06-01T06:00:00Z');
    const sign = tokenSigner('conversation', trusted.seed, () => now);
    const first = await sign('intent');
    now += 29_000;
    expect(await sign('intent')).toBe(first);
    now += 2_000;
    expect(await sign('intent')).not.toBe(first);
    const claims = JSON.parse(Buffer.from(first.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'conversation', aud: 'intent' });
    expect(claims.exp - claims.iat).toBe(60);
  });
});
