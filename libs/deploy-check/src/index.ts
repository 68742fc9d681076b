export {
  applyPatch,
  type Composition,
  compose,
  type JsonPatchOp,
  type Kustomization,
  kustomizationSchema,
  type Manifest,
  patchOperations,
  readYamlDocuments,
} from './kustomize.js';
export {
  type ClusterNode,
  type NatsCluster,
  type NatsClusterOptions,
  startNatsCluster,
} from './nats-cluster.js';
export {
  natsPasswordSecretKey,
  natsUsersConf,
  natsUsersFile,
  natsUsersValues,
  natsUsersValuesFile,
  writeNatsUsersFiles,
} from './nats-users-file.js';
export {
  allows,
  type NetworkPolicy,
  networkPolicySchema,
  type PodView,
  selects,
} from './network-policy.js';
