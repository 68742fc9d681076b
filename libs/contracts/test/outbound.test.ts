import { describe, expect, it } from 'vitest';
import {
  outboundMessageSchema,
  partitionOf,
  sendRequestedSchema,
  subjectTemplate,
  topology,
} from '../src/index.js';

const command = (message: unknown) => ({
  v: 1,
  type: 'whatsapp.send.requested',
  id: 'conv-1:wamid.IN:1',
  phoneNumberId: '100000000000001',
  to: '971501234567',
  requestedAt: '2026-11-23T10:00:00.000Z',
  message,
});

describe('outbound commands', () => {
  it('accepts a text, three reply buttons and a ten-row list within WhatsApp limits', () => {
    expect(sendRequestedSchema.safeParse(command({ kind: 'text', body: 'x'.repeat(4096) })).success).toBe(
      true,
    );
    const buttons = ['Confirm', 'Change', 'Cancel'].map((title, i) => ({ id: `b${i}`, title }));
    expect(
      sendRequestedSchema.safeParse(command({ kind: 'buttons', body: 'Book it?', buttons })).success,
    ).toBe(true);
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    expect(
      outboundMessageSchema.safeParse({
        kind: 'list',
        body: 'Menu',
        button: 'See menu',
        sections: [{ rows }],
      }).success,
    ).toBe(true);
  });

  it('refuses what Meta would reject: a 4097-char text, four buttons, a 21-char title, duplicate titles, eleven rows', () => {
    const bad = [
      { kind: 'text', body: 'x'.repeat(4097) },
      { kind: 'buttons', body: 'b', buttons: ['a', 'b', 'c', 'd'].map((t) => ({ id: t, title: t })) },
      { kind: 'buttons', body: 'b', buttons: [{ id: 'a', title: 'x'.repeat(21) }] },
      {
        kind: 'buttons',
        body: 'b',
        buttons: [
          { id: 'a', title: 'Same' },
          { id: 'b', title: 'Same' },
        ],
      },
      {
        kind: 'list',
        body: 'b',
        button: 'Open',
        sections: [
          { title: 'A', rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: 't' })) },
          { title: 'B', rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: 't' })) },
        ],
      },
      {
        kind: 'list',
        body: 'b',
        button: 'Open',
        sections: [{ rows: [{ id: 'a', title: 't' }] }, { rows: [{ id: 'b', title: 't' }] }],
      },
    ];
    for (const message of bad)
      expect({ message, ok: outboundMessageSchema.safeParse(message).success }).toEqual({
        message,
        ok: false,
      });
  });

  it('keys outbound commands by partition and guest and keeps the guest out of span names', () => {
    const t = topology('t1');
    const partition = partitionOf('100', 'US.1349');
    const subject = t.subjects.outboundCommand('100', 'US.1349');
    expect(subject).toBe(`t1.out.cmd.${partition}.100.US%2E1349`);
    expect(subject.startsWith(t.subjects.outboundCommandPartition(partition).slice(0, -1))).toBe(true);
    expect(subjectTemplate(subject)).toBe(`t1.out.cmd.${partition}.100.{guest}`);
    expect(subjectTemplate(topology().subjects.outboundCommand('100', '971501234567'))).toBe(
      `out.cmd.${partitionOf('100', '971501234567')}.100.{guest}`,
    );
  });

  it('keeps the guest out of span names of commands published before the partition token', () => {
    expect(subjectTemplate('t1.out.cmd.100.US%2E1349')).toBe('t1.out.cmd.100.{guest}');
    expect(subjectTemplate('out.cmd.100.971501234567')).toBe('out.cmd.100.{guest}');
  });

  it('filters partitioned and unpartitioned commands apart', () => {
    const t = topology('t1');
    expect(t.subjects.outboundCommandPartition(3)).toBe('t1.out.cmd.3.>');
    expect(t.subjects.outboundCommandAll).toBe('t1.out.cmd.>');
    // One token per wildcard: a partitioned subject has one token more, so it never matches.
    expect(t.subjects.outboundCommandUnpartitioned).toBe('t1.out.cmd.*.*');
  });
});
