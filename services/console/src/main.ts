import { startTelemetry } from '@reserveit/telemetry';

// Tracing first: the instrumentations patch http, pg and grpc-js when those are first loaded,
// so the app is imported only after the SDK started.
const telemetry = startTelemetry('console');
const { run } = await import('./run.js');
try {
  await run(telemetry);
} catch (error) {
  process.stderr.write(`console failed to start: ${(error as Error).message}\n`);
  process.exit(1);
}
