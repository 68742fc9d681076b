import { type BusinessEvent, RESERVATION_EVENT_TYPES, topology } from '@reserveit/contracts';
import { ensureStream } from '@reserveit/messaging';
import { createLogger } from '@reserveit/telemetry';
import { type TestNats, useNats } from '@reserveit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessDirectory } from '../src/store/business-directory.js';
import { businessFixture } from './fixtures.js';

describe('business directory following rsv.biz.> on real JetStream', () => {
  let nats: TestNats;
  const spec = () => topology(nats.prefix);

  beforeAll(async () => {
    nats = await useNats();
    await ensureStream(nats.jsm, spec().streams.reservations, { replicas: 1 });
  });

  afterAll(async () => {
    await nats?.cleanup();
  });

  const registered = (id: string, phoneNumberId: string): BusinessEvent => {
    const fixture = businessFixture({ id, phoneNumberId });
    return {
      v: 1,
      id: `${id}:registered`,
      at: '2026-06-01T06:00:00.000Z',
      type: RESERVATION_EVENT_TYPES.businessRegistered,
      businessId: id,
      profile: fixture.profile,
      hours: fixture.hours,
    };
  };
  const publish = (businessId: string, data: string) =>
    nats.js.publish(spec().subjects.reservationBusiness(businessId), data);

  it('skips and counts a message that is not JSON, becomes ready, and keeps applying the ones after it', async () => {
    await publish('early', JSON.stringify(registered('early', '100000000000301')));
    // The last message when the directory starts: it must still mark the directory caught up.
    await publish('broken', '{not json');
    const skipped: string[] = [];
    const directory = new BusinessDirectory((reason) => skipped.push(reason));
    await directory.start(
      nats.js,
      spec().streams.reservations.name,
      spec().subjects.reservationBusinessAll,
      createLogger('directory-test', 'silent'),
    );
    try {
      expect(await directory.whenCaughtUp(5_000)).toBe(true);
      expect(directory.get('early')?.profile.phoneNumberId).toBe('100000000000301');

      await publish('broken', '\u0000\u0001 binary');
      await publish('broken', JSON.stringify({ type: 'business.registered', businessId: 'broken' }));
      await publish('late', JSON.stringify(registered('late', '100000000000302')));
      await expect.poll(() => directory.get('late')?.profile.phoneNumberId).toBe('100000000000302');
      expect(directory.ownerOfPhoneNumber('100000000000302')).toBe('late');
      expect(directory.ready).toBe(true);
      // Two bodies JSON.parse refuses, one that parses but is not a business event.
      expect(skipped.sort()).toEqual(['failed', 'failed', 'invalid']);
    } finally {
      await directory.stop();
    }
  });
});
