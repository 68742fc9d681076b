import './provided-context.js';

export {
  DEV_WHATSAPP,
  newWamid,
  serializeLikeMeta,
  type WebhookBody,
} from '@reserveit/localstack';
export {
  type CallOutcome,
  callWith,
  methodsOf,
  type ServiceMethod,
  testTokens,
} from './caller-calls.js';
export {
  cpuTicksByGroup,
  MS_PER_TICK,
  machineCpuTicks,
  processCommandLine,
  processCpuTicks,
} from './cpu.js';
export { type TestDatabase, useDatabase } from './database.js';
export { devCallerOptions, type TestCaller } from './dev-callers.js';
export {
  type FakeGraphApi,
  type FakeResponse,
  type GraphFailure,
  graphError,
  type RecordedRequest,
  type Responder,
  startFakeGraphApi,
} from './fake-graph-api.js';
export { type GenericPlan, genericPlans, seqScansOn } from './generic-plans.js';
export { decryptLikeMeta, encryptLikeMeta, type MetaFlowRequest } from './meta-flow-client.js';
export { newTestPrefix, type TestNats, type UseNatsOptions, useNats } from './nats.js';
export {
  type NatsWithUsersOptions,
  natsRefusals,
  type SecuredNats,
  TEST_NATS_USER,
  type TestNatsUsers,
  type TestNatsWithUsers,
  testNatsUsers,
  useNatsWithUsers,
  useSecuredNats,
} from './nats-users.js';
export { runNodeScript, type ScriptRun } from './node-script.js';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
export { statusReceivedEvent } from './status-event.js';
export {
  type BatchItem,
  batchWebhook,
  type SignedRequest,
  signedRequest,
  statusWebhook,
  textWebhook,
} from './webhook.js';
