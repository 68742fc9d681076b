import { describe, expect, it } from 'vitest';
import {
  HEADER_ROOM_BYTES,
  MAX_META_ID_LENGTH,
  MAX_SUBJECT_BYTES,
  msgIdProblem,
  natsMessageProblem,
  payloadProblem,
  subjectProblem,
  topology,
} from '../src/index.js';

describe('NATS limits', () => {
  it('finds a subject over what the control line leaves, and says so in sizes only', () => {
    const guest = '9'.repeat(MAX_SUBJECT_BYTES);
    const problem = subjectProblem(topology('t1').subjects.inboundMessage('106540352242922', guest));
    expect(problem).toMatch(/^subject of \d+ bytes, over the 3840/);
    expect(problem).not.toContain('999');
  });

  it('fits every subject and Msg-Id built from ids at the schema bounds, even when each character needs percent-encoding', () => {
    // `.` is printable ASCII and encodes to three bytes: the longest token an id can make.
    const id = '.'.repeat(MAX_META_ID_LENGTH);
    const subjects = topology('t0123456789').subjects;
    for (const subject of [
      subjects.inboundMessage(id, id),
      subjects.inboundStatus(id, id),
      subjects.webhookError(id),
      subjects.webhookChange('é'.repeat(128)),
    ]) {
      expect(subjectProblem(subject)).toBeUndefined();
    }
    expect(msgIdProblem(`${'w'.repeat(MAX_META_ID_LENGTH)}:${'s'.repeat(64)}`)).toBeUndefined();
  });

  it.each([
    ['over 1 KiB', 'w'.repeat(1025), /over 1024/],
    ['with a line break', 'wamid.A\nB', /line break/],
    ['with a trailing space the client would trim', 'wamid.A ', /whitespace/],
  ])('finds a Msg-Id %s', (_label, msgId, problem) => {
    expect(msgIdProblem(msgId)).toMatch(problem);
  });

  it('leaves room for headers under max_payload', () => {
    const maxPayload = 1024 * 1024;
    expect(payloadProblem(maxPayload - HEADER_ROOM_BYTES, maxPayload)).toBeUndefined();
    expect(payloadProblem(maxPayload - HEADER_ROOM_BYTES + 1, maxPayload)).toMatch(/max_payload/);
    expect(
      natsMessageProblem(
        { subject: 'wa.in.quarantine', msgId: 'quarantine:1', payloadBytes: 10 },
        maxPayload,
      ),
    ).toBeUndefined();
  });
});
