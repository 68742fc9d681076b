export { commonEnv } from './common.js';
export { type ConsoleConfig, consoleEnv, loadConsoleConfig } from './console.js';
export { type ConversationConfig, conversationEnv, loadConversationConfig } from './conversation.js';
export { ConfigError, commaList, parseEnv, port, positiveInt } from './env.js';
export { DEV_FLOW_PRIVATE_KEY, flowPublicKeyPem } from './flow-key.js';
export { type IngressConfig, ingressEnv, loadIngressConfig } from './ingress.js';
export { type IntentConfig, intentEnv, loadIntentConfig, projectsMemory } from './intent.js';
export {
  type CliStackEnv,
  cliStackEnv,
  findRunningStack,
  RUNNING_STACK_FILE,
  type RunningStackRecord,
  readRunningStackFile,
  runningStackPath,
  runningStackSchema,
} from './local-stack.js';
export { maskUrlPassword } from './mask-url.js';
export {
  DEV_NATS_PASSWORDS,
  type NatsCredentials,
  natsAuthEnv,
  natsCredentials,
  refuseDevNatsPassword,
} from './nats-auth.js';
export { loadOpsConfig, type OpsConfig, opsEnv } from './ops.js';
export {
  type AdminEntryConfig,
  adminEntryEnv,
  loadAdminEntryConfig,
  loadReplayConfig,
  type ReplayConfig,
  replayEnv,
} from './replay.js';
export { loadReservationConfig, type ReservationConfig, reservationEnv } from './reservation.js';
export {
  DEV_RPC_KEYS,
  loadCliSigningKey,
  type RpcTrustedKeys,
  refuseDevRpcKeys,
  rpcSigningKey,
  rpcTrustedKeys,
} from './rpc.js';
export { loadSchedulerConfig, type SchedulerConfig, schedulerEnv } from './scheduler.js';
export { loadSenderConfig, type SenderConfig, senderEnv } from './sender.js';
export {
  type GrpcClientTls,
  type GrpcServerTls,
  grpcClientTls,
  grpcServerTls,
  loadCliGrpcTls,
  type NatsTls,
  natsTls,
  type PemFile,
} from './tls.js';
