import type { OpsConfig } from '@reserveit/config';
import { withNats } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import { ago, bytes, note, out, table } from '../output.js';
import { collectStreams, laggingConsumers, type WiringRow } from '../streams.js';

/** How the wiring table says the consumer runs, for the table view. */
const wiringCell = (wiring: WiringRow | null) =>
  !wiring
    ? 'not in the wiring table'
    : wiring.retired
      ? `${wiring.row} (retired single consumer)`
      : `${wiring.row} (${wiring.ordering})`;

export async function streamsCommand(config: OpsConfig, options: { maxLag: number; json: boolean }) {
  return withNats(config, async (nats) => {
    const reports = await collectStreams(nats.jsm, nats.topology);
    const lagging = laggingConsumers(reports, options.maxLag);
    if (options.json) {
      out(JSON.stringify({ maxLag: options.maxLag, lagging, streams: reports }, null, 2));
    } else {
      const now = Date.now();
      out(
        table(
          ['STREAM', 'MESSAGES', 'BYTES', 'LAST SEQ', 'LAST MESSAGE'],
          reports.map((s) =>
            s.exists
              ? [
                  s.name,
                  String(s.messages),
                  bytes(s.bytes),
                  String(s.lastSeq),
                  ago(s.lastMessageAt ? new Date(s.lastMessageAt) : undefined, now),
                ]
              : [s.name, '-', '-', '-', 'missing (no service created it yet)'],
          ),
        ),
      );
      const rows = reports.flatMap((s) =>
        s.consumers.map((c) => [
          s.name,
          c.name,
          String(c.pending),
          String(c.ackPending),
          String(c.redelivered),
          String(c.waiting),
          ago(c.lastActive ? new Date(c.lastActive) : undefined, now),
          c.pending > options.maxLag ? 'LAGGING' : '',
          wiringCell(c.wiring),
        ]),
      );
      out('');
      out(
        rows.length === 0
          ? 'no consumers'
          : table(
              [
                'STREAM',
                'CONSUMER',
                'PENDING',
                'ACK PENDING',
                'REDELIVERED',
                'WAITING',
                'LAST ACTIVE',
                '',
                'WIRING',
              ],
              rows,
            ),
      );
    }
    if (lagging.length > 0) {
      note(`lagging past --max-lag ${options.maxLag}: ${lagging.join(', ')}`);
      return EXIT.lagging;
    }
    return EXIT.ok;
  });
}
