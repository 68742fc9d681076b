import './grpc-instrumentation.js';

export { deadlineIn, type RetryableMethods, retryingChannelOptions } from './client-options.js';
export { domainError, ERROR_CODE_KEY, errorCodeOf, GrpcStatus } from './errors.js';
export { type GrpcService, type RunningGrpcServer, startGrpcServer } from './server.js';
export { type UnaryMethod, unaryCall } from './unary-call.js';
