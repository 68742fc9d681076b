import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { findRepoRoot } from '@reserveit/localstack';
import { unaryCall } from '@reserveit/rpc';
import { ConversationServiceClient } from '@reserveit/rpc/conversation/v1/conversation';
import { devCallerOptions, runNodeScript } from '@reserveit/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_ID } from '../src/index.js';
import { button, printOutputOnFailure, type SystemUnderTest, systemUnderTest } from './system-under-test.js';

let sut: SystemUnderTest;
let pool: pg.Pool;
beforeAll(async () => {
  sut = await systemUnderTest();
  pool = new pg.Pool({ connectionString: sut.db.url, max: 2 });
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await sut?.stop();
});
printOutputOnFailure(() => sut);

/** What the conversation service wrote, without the columns only a clock or a sequence fills in. */
async function snapshot() {
  const rows = async (query: string) => (await pool.query(query)).rows;
  return {
    conversations: await rows(
      `select id, business_id, phone_number_id, guest_id, guest_name, state, version, mode, handoff_until,
              language, phase, last_message_at, message_count, updated_at, unread_count, waiting_since,
              taken_by, last_inbound_at, last_message_preview
         from conversation.conversations order by id`,
    ),
    messages: await rows(
      'select conversation_id, id, direction, kind, text, intent, at, author from conversation.messages order by conversation_id, seq',
    ),
    inbox: await rows('select consumer, event_id from conversation.inbox order by event_id'),
  };
}

const ops = (args: string[]) =>
  runNodeScript(join(findRepoRoot(), 'services/ops/dist/cli.js'), args, {
    NATS_URL: sut.nats.url,
    NATS_PREFIX: sut.nats.prefix,
    DATABASE_URL: sut.db.url,
  });

describe('reserveit-ops replay conversation --in-place', () => {
  it('rebuilds conversations, history and inbox from CONVERSATIONS as the service wrote them, and the service carries on from them', async () => {
    const { whatsapp } = sut;
    const emma = { waId: '971500000301', name: 'Emma' };
    const omar = { waId: '971500000302', name: 'Omar' };
    const hello = await whatsapp.answerTo(await whatsapp.text(emma, 'Hi'));
    await whatsapp.answerTo(await whatsapp.tap(emma, button(hello[0], 'Book a table'), hello[0]));
    await whatsapp.answerTo(await whatsapp.text(emma, 'tomorrow for 2 people'));
    const askName = await whatsapp.answerTo(await whatsapp.text(emma, '8pm'));
    await whatsapp.answerTo(await whatsapp.text(omar, 'What are your opening hours?'));
    await whatsapp.answerTo(await whatsapp.text(omar, 'Can I see the menu?'));
    // Staff take Omar's conversation over, write to him and give it back: decisions without an
    // inbound message.
    const staff = new ConversationServiceClient(
      sut.system.grpc.conversation,
      credentials.createInsecure(),
      devCallerOptions({ restaurants: [DEMO_BUSINESS_ID] }),
    );
    try {
      const list = await unaryCall(
        staff,
        staff.listConversations,
        { businessId: DEMO_BUSINESS_ID, mode: 0, pageSize: 10, pageToken: '', query: '', handoff: 0 },
        5_000,
      );
      const conversationId = list.conversations.find((c) => c.guestId === omar.waId)?.id ?? '';
      const action = { conversationId, staff: 'maria', requestId: '', businessId: DEMO_BUSINESS_ID };
      await unaryCall(staff, staff.handoff, action, 5_000);
      await unaryCall(
        staff,
        staff.reply,
        { ...action, text: 'Maria here: we open at noon.', template: undefined },
        5_000,
      );
      await unaryCall(staff, staff.release, action, 5_000);
    } finally {
      staff.close();
    }
    const before = await snapshot();
    // Four writes for Emma's four messages; five for Omar's two, the handoff, the reply and the release.
    expect(before.conversations.map((c) => c.version).sort()).toEqual([4, 5]);
    expect(before.messages.length).toBeGreaterThanOrEqual(13);
    expect(before.messages.filter((m) => m.author === 'staff:maria')).toHaveLength(1);

    // While it runs, the service's consumers are pulling: the rebuild refuses to interleave.
    const refused = await ops(['replay', 'conversation', '--in-place']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('stop the service first');

    await sut.system.kill('conversation', 'SIGTERM');
    const run = await ops(['replay', 'conversation', '--in-place', '--json']);
    expect(run.stderr).not.toContain('reserveit-ops:');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ projection: 'conversation', mode: 'in-place' });
    expect(await snapshot()).toEqual(before);

    // The rebuilt state is the one the next message is decided on: Emma was being asked her name.
    await sut.system.restart('conversation');
    const summary = await whatsapp.answerTo(await whatsapp.tap(emma, button(askName[0], 'Emma'), askName[0]));
    expect(summary[0]?.text).toMatch(
      /^A table for 2 guests on .* at 20:00, under the name Emma\. Shall I book it\?$/,
    );
  });
});
