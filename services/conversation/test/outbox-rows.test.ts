import { type SendRequested, sendRequestedSchema, topology } from '@reserveit/contracts';
import { describe, expect, it } from 'vitest';
import { type Addressee, sendCommand } from '../src/outbound-commands.js';
import { outboxOf } from '../src/outbox-rows.js';

const t = topology('rows');
const to: Addressee = {
  conversationId: 'c1',
  phoneNumberId: 'pn1',
  guestId: '971500000001',
  replyTo: 'wamid.1',
};
const AT = '2026-03-01T10:00:00.000Z';
const read = sendCommand(to, 'c1:wamid.1:read', AT, { kind: 'read', messageId: 'wamid.1' });
const reply = (n: number) =>
  sendCommand(to, `c1:wamid.1:${n}`, AT, { kind: 'text', body: `reply ${n}`, previewUrl: false });

const commandsOf = (sends: SendRequested[]) =>
  outboxOf(t, { conversationId: 'c1', causationId: 'wamid.1', at: AT, events: [], sends }).rows.map(
    (row) => ({
      subject: row.subject,
      id: row.id,
      command: sendRequestedSchema.parse(JSON.parse(row.payload)),
    }),
  );

describe('a decision’s OUTBOUND commands', () => {
  it('carry the read receipt on the first reply to the message, with the ids they had', () => {
    const rows = commandsOf([read, reply(1), reply(2)]);
    expect(rows.map((row) => [row.subject, row.id, row.command.markRead])).toEqual([
      [t.subjects.outboundCommand('pn1', to.guestId), 'c1:wamid.1:1', 'wamid.1'],
      [t.subjects.outboundCommand('pn1', to.guestId), 'c1:wamid.1:2', undefined],
    ]);
    expect(rows[0]?.command.message).toEqual(reply(1).message);
  });

  it('send the read receipt alone when no reply answers the message (a handoff to staff)', () => {
    const rows = commandsOf([read]);
    expect(rows).toEqual([{ subject: t.subjects.outboundRead('pn1'), id: 'c1:wamid.1:read', command: read }]);
  });

  it('leave a receipt alone that no reply to the same message and guest can carry', () => {
    const other = sendCommand({ ...to, replyTo: 'wamid.0' }, 'c1:wamid.0:1', AT, {
      kind: 'text',
      body: 'about an earlier message',
      previewUrl: false,
    });
    const rows = commandsOf([read, other]);
    expect(rows.map((row) => [row.id, row.command.markRead])).toEqual([
      ['c1:wamid.1:read', undefined],
      ['c1:wamid.0:1', undefined],
    ]);
  });
});
