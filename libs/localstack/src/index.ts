export {
  type CrashLoop,
  DEFAULT_RESTART_POLICY,
  formatDelay,
  type NextRestart,
  NO_CRASHES,
  nextRestart,
  type RestartPolicy,
} from './crash-loop.js';
export {
  type DevCertificateOptions,
  type DevCertificates,
  ensureDevCertificates,
} from './dev-certs.js';
export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export type { ShutdownMode } from './embedded-postgres-server.js';
export { findExecutable } from './executable.js';
export { freePort, portInUse } from './free-port.js';
export { LogTail } from './log-tail.js';
export { maskUrlPassword } from './mask-url.js';
export {
  NATS_SERVER_MISSING,
  type NatsServer,
  type NatsServerOptions,
  natsServerEnv,
  startNatsServer,
} from './nats-server.js';
export { findRepoRoot } from './repo-root.js';
export { removeRunningStack, runningStackRecord, writeRunningStack } from './running-stack-record.js';
export { curlCommand, type SendWebhookOptions, type SentWebhook, sendWebhook } from './send-webhook.js';
export { type RunningStack, type StackOptions, type StackProcessState, startStack } from './stack.js';
export {
  interpolate,
  loadStackConfig,
  type StackConfig,
  type StackProcess,
  stackConfigSchema,
  startOrder,
} from './stack-config.js';
export { waitForTcp } from './tcp-wait.js';
export {
  type BusinessNumber,
  DEV_WHATSAPP,
  newWamid,
  type StatusInput,
  type StatusValue,
  serializeLikeMeta,
  statusBody,
  statusValue,
  type TextMessageInput,
  textMessageBody,
  textMessageValue,
  unixSeconds,
  type WebhookBody,
  type WebhookChangeValue,
  type WebhookContact,
  type WebhookMetadata,
  type WebhookStatus,
  type WebhookTextMessage,
  webhookBody,
} from './webhook-body.js';
