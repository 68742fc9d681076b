import autocannon from 'autocannon';

export interface LoadFigures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
  /** Answers other than 2xx, connection errors and timeouts. */
  failed: number;
}

/**
 * Closed-loop load on the console for `durationS` seconds: one connection per signed-in session,
 * each going round its own paths (`pathsOf(connection)`) with its own session cookie, as a
 * browser tab of that staff member would.
 */
export async function loadConsole(options: {
  label: string;
  url: string;
  cookies: string[];
  durationS: number;
  pathsOf(connection: number): string[];
}): Promise<LoadFigures> {
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.cookies.length,
        duration: options.durationS,
        setupClient: (client) => {
          const connection = next++ % options.cookies.length;
          const cookie = options.cookies[connection] ?? '';
          client.setRequests(
            options.pathsOf(connection).map((path) => ({ method: 'GET', path, headers: { cookie } })),
          );
        },
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
  });
  return {
    label: options.label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
