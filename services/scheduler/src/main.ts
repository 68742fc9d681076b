import { startTelemetry } from '@reserveit/telemetry';

// Tracing first: the instrumentations patch pg when it is first loaded, so the app is imported
// only after the SDK started.
const telemetry = startTelemetry('scheduler');
const { run } = await import('./run.js');
try {
  await run(telemetry);
} catch (error) {
  process.stderr.write(`scheduler failed to start: ${(error as Error).message}\n`);
  process.exit(1);
}
