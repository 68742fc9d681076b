import type { OpsConfig } from '@reserveit/config';
import { withNats } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import { ago, bytes, note, out, table } from '../output.js';
import { collectStreams, laggingConsumers } from '../streams.js';

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
        ]),
      );
      out('');
      out(
        rows.length === 0
          ? 'no consumers'
          : table(
              ['STREAM', 'CONSUMER', 'PENDING', 'ACK PENDING', 'REDELIVERED', 'WAITING', 'LAST ACTIVE', ''],
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
