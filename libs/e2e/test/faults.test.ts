import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FaultInfra,
  type FaultRunReport,
  passed,
  reportTable,
  runFault,
  selectFaults,
  startFaultInfra,
} from '../src/index.js';

/**
 * The small fault suite: a few of the faults of src/faults/catalog.ts (the whole matrix is
 * `pnpm bench:faults`), each on a private nats-server and Postgres it may kill, under a short load
 * of new guests.
 */
const FAULTS = selectFaults('kill-sender,nats-restart,postgres-fast,duplicates');
const MESSAGES = 120;
const RATE = 15;

let infra: FaultInfra;
const reports: FaultRunReport[] = [];
beforeAll(async () => {
  infra = await startFaultInfra();
}, 120_000);
afterAll(async () => {
  if (reports.length > 0) console.info(reportTable(reports));
  await infra?.stop();
});

describe('faults under load: every inbound message answered exactly once, every service ready afterwards', () => {
  for (const fault of FAULTS) {
    it(`${fault.name}: ${fault.what}`, async () => {
      const report = await runFault({ infra, fault, messages: MESSAGES, ratePerSecond: RATE });
      reports.push(report);
      const { describe: output, ...figures } = report;
      if (!passed(report)) console.error(output);
      expect({
        lost: figures.lost,
        doubled: figures.doubled,
        crashes: figures.crashes,
        notReady: figures.notReady,
      }).toEqual({ lost: 0, doubled: 0, crashes: [], notReady: [] });
      expect(figures.accepted).toBe(MESSAGES);
      // The storm did happen: a share of the webhooks after the fault came three times.
      if (fault.name === 'duplicates') expect(figures.duplicated).toBeGreaterThan(0);
    }, 180_000);
  }

  it('ran every service as its own NATS user through all of them, and NATS refused none of them anything', async () => {
    expect(await infra.natsRefusals()).toEqual([]);
  });
});
