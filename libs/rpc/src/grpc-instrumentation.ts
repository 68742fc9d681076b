import { createRequire } from 'node:module';

// OpenTelemetry's grpc instrumentation patches @grpc/grpc-js (Server.prototype.register,
// Client.prototype.makeUnaryRequest …) from a require hook. @opentelemetry/sdk-node loads
// grpc-js for its OTLP/gRPC exporter before the instrumentation is enabled, and an ESM import of
// a CommonJS module that is already loaded does not pass through that hook: without this
// require, no gRPC span is made and no traceparent travels in gRPC metadata, so intent and
// reservation start traces of their own. Services import this package after the SDK started
// (main.ts), so this require lets the hook patch the shared prototypes. Harmless without tracing.
createRequire(import.meta.url)('@grpc/grpc-js');
