export * from './derive.js';
export * from './events.js';
export { PARTITIONS, partitionOf } from './partition.js';
export { webhookSignature } from './signature.js';
export { subjectTemplate } from './subject-template.js';
export { fromSubjectToken, toSubjectToken } from './subject-token.js';
export { type StreamSpec, type Topology, topology } from './topology.js';
export * from './webhook.js';
