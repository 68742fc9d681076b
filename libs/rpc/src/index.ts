import './grpc-instrumentation.js';

export { type CallerAuth, callerOf } from './caller-auth.js';
export { decideCall, type PolicyDecision, type VerifiedCaller } from './caller-policy.js';
export {
  audienceOf,
  type CallerClaims,
  callerInterceptor,
  callerMetadata,
  callerOptions,
  TOKEN_TTL_SECONDS,
  type TokenSigner,
  tokenSigner,
} from './caller-token.js';
export { deadlineIn, type RetryableMethods, retryingChannelOptions } from './client-options.js';
export { domainError, ERROR_CODE_KEY, errorCodeOf, GrpcStatus } from './errors.js';
export { type GrpcService, type RunningGrpcServer, startGrpcServer } from './server.js';
export {
  type ClientTlsMaterial,
  channelCredentials,
  type ServerTlsMaterial,
} from './tls-credentials.js';
export { methodPath, type UnaryMethod, unaryCall } from './unary-call.js';
