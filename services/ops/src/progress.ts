import { Presets, SingleBar } from 'cli-progress';
import { note } from './output.js';

export interface ProgressFigures {
  /** Where the run is and where it stops (stream sequences). */
  seq: number;
  lastSeq: number;
  /** Events applied so far by this run. */
  applied: number;
}

/** events/s since the start, and seconds left at that rate (undefined until there is a rate). */
export function rate(applied: number, elapsedMs: number, remaining: number) {
  const perSecond = elapsedMs > 0 ? (applied * 1000) / elapsedMs : 0;
  return { perSecond, etaSeconds: perSecond > 0 ? remaining / perSecond : undefined };
}

/** How far a run is, in stream sequences from where it began to where it stops. */
export function position(firstSeq: number, figures: ProgressFigures): { done: number; total: number } {
  const total = Math.max(1, figures.lastSeq - firstSeq);
  // At the end means done, also on a filtered stream, where the start is only estimated.
  const done = figures.seq >= figures.lastSeq ? total : Math.min(total, figures.seq - firstSeq);
  return { done, total };
}

/**
 * A progress bar with events/s and ETA on a terminal; on a pipe (cron, CI, tests) a plain line every
 * couple of seconds instead of escape codes. Always on stderr: stdout stays for results.
 */
export class ProgressView {
  private readonly bar: SingleBar | undefined;
  private readonly started = Date.now();
  private firstSeq: number | undefined;
  private lastLine = 0;
  private lastSeq: number | undefined;

  constructor(private readonly label: string) {
    if (process.stderr.isTTY) {
      this.bar = new SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | {value}/{total} seq | {rate} ev/s | ETA {eta_formatted}`,
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
    }
  }

  update(figures: ProgressFigures): void {
    this.firstSeq ??= Math.max(0, figures.seq - figures.applied);
    const { done, total } = position(this.firstSeq, figures);
    const { perSecond, etaSeconds } = rate(figures.applied, Date.now() - this.started, total - done);
    if (this.bar) {
      if (this.bar.getTotal() !== total) this.bar.start(total, done, { rate: Math.round(perSecond) });
      this.bar.update(done, { rate: Math.round(perSecond) });
      return;
    }
    if (figures.seq === this.lastSeq || (Date.now() - this.lastLine < 2_000 && done < total)) return;
    this.lastLine = Date.now();
    this.lastSeq = figures.seq;
    const eta = etaSeconds === undefined ? '?' : `${Math.ceil(etaSeconds)}s`;
    note(
      `${this.label}: seq ${figures.seq}/${figures.lastSeq} (${Math.floor((done / total) * 100)}%), ${Math.round(perSecond)} events/s, ETA ${eta}`,
    );
  }

  stop(): void {
    this.bar?.stop();
  }
}
