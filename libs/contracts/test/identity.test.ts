import { describe, expect, it } from 'vitest';
import {
  fromSubjectToken,
  PARTITIONS,
  partitionOf,
  subjectTemplate,
  topology,
  toSubjectToken,
} from '../src/index.js';

describe('subject tokens', () => {
  it.each([
    ['US.13491208655302741918', 'US%2E13491208655302741918'],
    ['a*b', 'a%2Ab'],
    ['a>b', 'a%3Eb'],
    ['a b\tc', 'a%20b%09c'],
    ['100%', '100%25'],
    ['971501234567', '971501234567'],
  ])('encodes %j so NATS sees one literal token', (value, token) => {
    expect(toSubjectToken(value)).toBe(token);
    expect(token).not.toMatch(/[.*>\s]/);
    expect(fromSubjectToken(token)).toBe(value);
  });

  it('round-trips non-ASCII identities', () => {
    const value = 'ليلى.٨ é';
    const token = toSubjectToken(value);
    expect(token).toMatch(/^[A-Za-z0-9_%-]+$/);
    expect(fromSubjectToken(token)).toBe(value);
  });

  it('refuses an empty identity', () => {
    expect(() => toSubjectToken('')).toThrow();
  });
});

describe('partitionOf', () => {
  it('is stable and in range', () => {
    const first = partitionOf('106540352242922', '971501234567');
    expect(partitionOf('106540352242922', '971501234567')).toBe(first);
    for (let i = 0; i < 500; i++) {
      const p = partitionOf('106540352242922', `9715${i}`);
      expect(Number.isInteger(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(PARTITIONS);
    }
    expect(partitionOf('a', 'b', 3)).toBeLessThan(3);
  });

  it('spreads guests over every partition', () => {
    const seen = new Set(Array.from({ length: 500 }, (_, i) => partitionOf('106540352242922', `9715${i}`)));
    expect(seen.size).toBe(PARTITIONS);
  });
});

describe('topology', () => {
  it('names production streams and subjects without a prefix', () => {
    const t = topology();
    expect(t.streams.whatsapp.name).toBe('WHATSAPP');
    expect(t.streams.whatsapp.subjects).toEqual(['wa.in.>']);
    expect(t.subjects.quarantine).toBe('wa.in.quarantine');
  });

  it('prefixes stream names and subjects', () => {
    const t = topology('run42');
    expect(t.streams.whatsapp.name).toBe('run42_WHATSAPP');
    expect(t.streams.raw.name).toBe('run42_WHATSAPP_RAW');
    expect(t.streams.whatsapp.subjects).toEqual(['run42.wa.in.>']);
    expect(t.subjects.inboundStatus('1', '2')).toBe('run42.wa.in.status.1.2');
    expect(t.subjects.inboundMessagePartition(3)).toBe('run42.wa.in.msg.3.>');
    expect(t.subjects.quarantine).toBe('run42.wa.in.quarantine');
  });

  it.each(['a.b', 'a b', 'a*', 'a>'])('rejects the prefix %j', (prefix) => {
    expect(() => topology(prefix)).toThrow();
  });

  it('puts an inbound message into its partition filter', () => {
    const t = topology();
    const subject = t.subjects.inboundMessage('106540352242922', 'US.13491208655302741918');
    const partition = partitionOf('106540352242922', 'US.13491208655302741918');
    expect(subject.startsWith(t.subjects.inboundMessagePartition(partition).slice(0, -1))).toBe(true);
  });
});

describe('subjectTemplate', () => {
  it('replaces the guest token of inbound message and status subjects, with or without a prefix', () => {
    const t = topology('t1');
    expect(subjectTemplate(t.subjects.inboundMessage('100', '971501234567'))).toMatch(
      /^t1\.wa\.in\.msg\.\d+\.100\.\{guest\}$/,
    );
    expect(subjectTemplate(topology().subjects.inboundStatus('100', 'US.1349'))).toBe(
      'wa.in.status.100.{guest}',
    );
    expect(subjectTemplate(t.subjects.quarantine)).toBe('t1.wa.in.quarantine');
  });

  it('replaces the guest token of outbound command subjects', () => {
    const t = topology('t1');
    expect(subjectTemplate(t.subjects.outboundCommand('100', '971501234567'))).toMatch(
      /^t1\.out\.cmd\.\d+\.100\.\{guest\}$/,
    );
  });
});
