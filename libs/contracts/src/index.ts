export * from './booking-flow.js';
export {
  bookingReference,
  quotesReference,
  REFERENCE_ALPHABET,
  REFERENCE_LENGTH,
} from './booking-reference.js';
export {
  type BackoffPolicy,
  type ConsumerEntry,
  type ConsumerOwner,
  type DeadLetterTarget,
  durablesOf,
  type FreeConsumer,
  type InboxSpec,
  type OrderingClass,
  type PartitionedConsumer,
  type ProjectionConsumer,
  partitionConsumer,
  type Tuning,
  tuned,
} from './consumer-entry.js';
export { type Consumers, consumerEntries } from './consumers.js';
export * from './conversation-events.js';
export * from './derive.js';
export * from './dialogue-events.js';
export type { Entities } from './entities.js';
export * from './events.js';
export * from './meta-formats.js';
export { NATS_USERS, type NatsAccess, type NatsUser, natsAccess, natsInboxPrefix } from './nats-access.js';
export * from './nats-limits.js';
export { type NatsPermissions, natsPermissions } from './nats-permissions.js';
export { type ExtraNatsUser, natsPasswordVariable, renderNatsUsersConf } from './nats-users-conf.js';
export {
  type OutboundEvent,
  type OutboundMessage,
  outboundEventSchema,
  outboundMessageSchema,
  type SendRequested,
  sendFailedSchema,
  sendRequestedSchema,
  sendSucceededSchema,
} from './outbound.js';
export {
  MAX_OUTBOX_KEYS_PER_RUN,
  type OutboxAdminLine,
  type OutboxReset,
  outboxAdminLineSchema,
  outboxKeySchema,
} from './outbox-admin.js';
export { PARTITIONS, partitionOf } from './partition.js';
export * from './reservation-events.js';
export {
  type MethodPolicy,
  RPC_AUDIENCES,
  RPC_CALLERS,
  RPC_POLICY,
  type RpcAudience,
  type RpcCaller,
  STAFF_CALLERS,
} from './rpc-policy.js';
export * from './scheduled-work.js';
export { webhookSignature } from './signature.js';
export { subjectTemplate } from './subject-template.js';
export { fromSubjectToken, toSubjectToken } from './subject-token.js';
export type { TopologyOptions } from './topology.js';
export { type StreamSpec, type Topology, topology } from './topology.js';
export * from './waitlist-jobs.js';
export * from './webhook.js';
