/** What `reserveit-ops` exit codes mean, so cron jobs and scripts can act on them. */
export const EXIT = {
  ok: 0,
  /** Something failed: unreachable server, missing stream, a failed step (the message says which). */
  failed: 1,
  /** `streams`: a consumer's pending count is above --max-lag. */
  lagging: 2,
  /** Nothing (or not everything) was done on purpose: dry run without --yes, refused dead letters. */
  incomplete: 3,
  /** Bad command line (unknown option, missing argument); BSD's EX_USAGE. */
  usage: 64,
} as const;

/** An error whose message already says what to do; the CLI prints it without a stack. */
export class OpsError extends Error {
  override name = 'OpsError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}
