import { status } from '@grpc/grpc-js';
import type { RpcAudience, RpcCaller } from '@reserveit/contracts';
import { ConversationServiceService } from '@reserveit/rpc/conversation/v1/conversation';
import { IntentServiceService } from '@reserveit/rpc/intent/v1/intent';
import { callWith, methodsOf, testTokens } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningConversation } from '../src/index.js';
import {
  conversationUnderTest,
  guestSays,
  type Neighbours,
  newGuest,
  rpc,
  staffClient,
  startNeighbours,
} from './conversation-under-test.js';

let neighbours: Neighbours;
let conversation: RunningConversation;
let conversationId = '';
let wamid = '';

beforeAll(async () => {
  neighbours = await startNeighbours();
  conversation = await conversationUnderTest(neighbours);
  const guest = newGuest();
  wamid = await guestSays(neighbours.nats.js, neighbours.nats.prefix, { id: guest }, { text: 'hello' });
  const staff = staffClient(conversation);
  const listed = async () =>
    (
      await rpc(staff, staff.listConversations, {
        businessId: 'bistro',
        mode: 0,
        pageSize: 200,
        pageToken: '',
        query: '',
        handoff: 0,
      })
    ).conversations.find((c) => c.guestId === guest)?.id ?? '';
  const deadline = Date.now() + 15_000;
  while (!conversationId && Date.now() < deadline) {
    conversationId = await listed();
    if (!conversationId) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!conversationId) throw new Error('the conversation was never listed');
  staff.close();
  // Listed at its commit; its decision is published just after. The tests compare the streams'
  // last sequences before and after each refused call, so they start once the greeting is out.
  const published = async () => (await lastSeqs()).every((seq) => seq > 0);
  while (!(await published())) {
    if (Date.now() > deadline + 15_000) throw new Error("the greeting's decision was never published");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await conversation?.close(1_000);
  await neighbours?.stop();
});

const metricValue = async (httpAddress: string, name: string): Promise<number> => {
  const text = await (await fetch(`${httpAddress}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
};

const lastSeqs = async () => {
  const { streams } = conversation.topology;
  const seq = async (name: string) => (await neighbours.nats.jsm.streams.info(name)).state.last_seq;
  return [await seq(streams.conversations.name), await seq(streams.outbound.name)];
};

/** A request per method that would read or change something real if the call were let in. */
function requestFor(path: string, empty: Record<string, unknown>): Record<string, unknown> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const samples: Record<string, Record<string, unknown>> = {
    ListConversations: { businessId: 'bistro', pageSize: 10 },
    GetConversation: { conversationId, businessId: 'bistro', messageLimit: 10 },
    Handoff: { conversationId, businessId: 'bistro', staff: 'intruder' },
    Release: { conversationId, businessId: 'bistro', staff: 'intruder' },
    Reply: { conversationId, businessId: 'bistro', staff: 'intruder', text: 'hello from outside' },
    MarkRead: { conversationId, businessId: 'bistro', staff: 'intruder' },
    LocateMessage: { wamid },
    Interpret: { text: 'a table for 2 tomorrow at 8pm', businessTimezone: 'Asia/Dubai' },
  };
  return { ...empty, ...samples[name] };
}

const claimsOf = (caller: RpcCaller) => (caller === 'console' ? { restaurants: ['bistro'] } : undefined);

const servers = [
  {
    name: 'conversation.v1',
    definition: ConversationServiceService,
    audience: 'conversation' as RpcAudience,
    address: () => conversation.grpcAddress,
    http: () => conversation.httpAddress,
    refusedMetric: 'conversation_grpc_calls_refused_total',
  },
  {
    name: 'intent.v1',
    definition: IntentServiceService,
    audience: 'intent' as RpcAudience,
    address: () => neighbours.intent.grpcAddress,
    http: () => neighbours.intent.httpAddress,
    refusedMetric: 'intent_grpc_calls_refused_total',
  },
];

describe.each(servers)('$name checks who calls, for every method of the generated service', (server) => {
  const methods = methodsOf(server.definition);
  const call = (path: string, authorization: string | undefined, request?: Record<string, unknown>) => {
    const method = methods.find((m) => m.path === path);
    if (!method) throw new Error(path);
    return callWith(
      server.address(),
      server.definition,
      path,
      request ?? requestFor(path, method.emptyRequest),
      authorization,
    );
  };

  it('refuses a call without a token, with an untrusted key, expired, for another service, or from a caller the policy leaves out, and runs nothing', async () => {
    const seqsBefore = await lastSeqs();
    const inferencesBefore = await metricValue(neighbours.intent.httpAddress, 'intent_inferences_total');
    const refusedBefore = await metricValue(server.http(), server.refusedMetric);
    const otherAudience: RpcAudience = server.audience === 'intent' ? 'reservation' : 'intent';
    let refusals = 0;
    for (const method of methods) {
      const allowed = method.callers[0];
      expect(allowed, `${method.path} has callers in the policy table`).toBeDefined();
      if (!allowed) continue;
      const unauthenticated = await testTokens.unauthenticated(
        allowed,
        server.audience,
        otherAudience,
        claimsOf(allowed),
      );
      for (const authorization of unauthenticated) {
        expect((await call(method.path, authorization)).code, method.path).toBe(status.UNAUTHENTICATED);
        refusals += 1;
      }
      for (const caller of method.refused) {
        const token = await testTokens.valid(caller, server.audience, claimsOf(caller));
        expect((await call(method.path, token)).code, `${method.path} as ${caller}`).toBe(
          status.PERMISSION_DENIED,
        );
        refusals += 1;
      }
    }
    expect(await lastSeqs()).toEqual(seqsBefore);
    expect(await metricValue(neighbours.intent.httpAddress, 'intent_inferences_total')).toBe(
      inferencesBefore,
    );
    expect(await metricValue(server.http(), server.refusedMetric)).toBe(refusedBefore + refusals);
  });

  it('lets every method through to its handler for a caller the policy allows', async () => {
    for (const method of methods) {
      const allowed = method.callers[0];
      if (!allowed) continue;
      const token = await testTokens.valid(allowed, server.audience, claimsOf(allowed));
      const outcome = await call(method.path, token);
      expect(
        [status.UNAUTHENTICATED, status.PERMISSION_DENIED],
        `${method.path} as ${allowed}`,
      ).not.toContain(outcome.code);
    }
  });
});

describe("conversation.v1 holds the console to its token's restaurants", () => {
  it('answers PERMISSION_DENIED for another restaurant or none, and changes nothing', async () => {
    const seqsBefore = await lastSeqs();
    const token = await testTokens.valid('console', 'conversation', { restaurants: ['bistro'] });
    const handoff = (businessId: string) =>
      callWith(
        conversation.grpcAddress,
        ConversationServiceService,
        '/conversation.v1.ConversationService/Handoff',
        { conversationId, businessId, staff: 'maria', requestId: '' },
        token,
      );
    expect((await handoff('hummus-house')).code).toBe(status.PERMISSION_DENIED);
    expect((await handoff('')).code).toBe(status.PERMISSION_DENIED);
    const list = await callWith(
      conversation.grpcAddress,
      ConversationServiceService,
      '/conversation.v1.ConversationService/ListConversations',
      { businessId: '', mode: 0, pageSize: 10, pageToken: '', query: '', handoff: 0 },
      token,
    );
    expect(list.code).toBe(status.PERMISSION_DENIED);
    expect(await lastSeqs()).toEqual(seqsBefore);
  });
});
