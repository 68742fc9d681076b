import { join } from 'node:path';
import { opsEnv } from '@reserveit/config';
import { findRepoRoot } from '@reserveit/localstack';
import { describe, expect, it } from 'vitest';
import {
  allows,
  type Composition,
  compose,
  type NetworkPolicy,
  networkPolicySchema,
  type PodView,
} from '../src/index.js';
import { deploymentSchema, serviceSchema } from './k8s-shapes.js';

const k8s = join(findRepoRoot(), 'deploy', 'k8s');
const NAMESPACE = 'reserveit';
const NAME = 'app.kubernetes.io/name';

/** Reachable from outside the namespace (through the ingress controller): Meta's webhooks, staff browsers. */
const PUBLIC = ['ingress', 'console'];

/**
 * The gRPC addresses ops jobs dial: the ops CLI's (libs/config ops.ts) and the console's staff CLI's
 * RESERVATION_GRPC_ADDRESS (services/console/src/staff-cli.ts, which checks a restaurant exists).
 */
const OPS_GRPC = [
  ...Object.keys(opsEnv.shape).filter((key) => key.endsWith('_GRPC_ADDRESS')),
  'RESERVATION_GRPC_ADDRESS',
];

const inNamespace = (labels: Record<string, string>, ports: Record<string, number> = {}): PodView => ({
  namespace: NAMESPACE,
  namespaceLabels: { 'kubernetes.io/metadata.name': NAMESPACE },
  labels,
  ports,
});
const elsewhere = (
  namespace: string,
  namespaceLabels: Record<string, string>,
  labels: Record<string, string>,
) => ({
  namespace,
  namespaceLabels: { 'kubernetes.io/metadata.name': namespace, ...namespaceLabels },
  labels,
  ports: {},
});

/** Pods that are not Deployments of ours: what the Helm chart, the operator and the cluster run. */
const OTHERS: Record<string, PodView> = {
  ops: inNamespace({ [NAME]: 'ops' }),
  nats: inNamespace(
    { [NAME]: 'nats', 'app.kubernetes.io/instance': 'nats', 'app.kubernetes.io/component': 'nats' },
    { client: 4222, cluster: 6222, monitor: 8222 },
  ),
  'nats-box': inNamespace({
    [NAME]: 'nats',
    'app.kubernetes.io/instance': 'nats',
    'app.kubernetes.io/component': 'nats-box',
  }),
  'reserveit-pg': inNamespace(
    { 'cnpg.io/cluster': 'reserveit-pg' },
    { postgresql: 5432, status: 8000, metrics: 9187 },
  ),
  'a debug pod': inNamespace({ [NAME]: 'debug' }),
  'ingress-controller': elsewhere(
    'ingress-nginx',
    { 'reserveit.io/ingress-controller': 'true' },
    { [NAME]: 'ingress-nginx' },
  ),
  prometheus: elsewhere('monitoring', { 'reserveit.io/monitoring': 'true' }, { [NAME]: 'prometheus' }),
  'cnpg-operator': elsewhere('cnpg-system', {}, { [NAME]: 'cloudnative-pg' }),
  // Wears the console's label in another namespace: labels alone must not let it in.
  'a stranger': elsewhere('default', {}, { [NAME]: 'console' }),
};

interface Workload {
  pod: PodView;
  /** Every variable the container starts with (ConfigMap, then env), values of Secret references left out. */
  env: Map<string, string | undefined>;
  annotations: Record<string, string>;
}

function workloads(c: Composition): Map<string, Workload> {
  const configMaps = new Map(
    c.manifests
      .filter((m) => m.kind === 'ConfigMap')
      .map((m) => [m.name, (m.object.data ?? {}) as Record<string, string>]),
  );
  const result = new Map<string, Workload>();
  for (const m of c.manifests.filter((m) => m.kind === 'Deployment')) {
    const d = deploymentSchema.parse(m.object);
    const containers = d.spec.template.spec.containers;
    const env = new Map<string, string | undefined>();
    for (const container of containers) {
      for (const from of container.envFrom)
        for (const [key, value] of Object.entries(configMaps.get(from.configMapRef.name) ?? {}))
          env.set(key, value);
      for (const item of container.env) env.set(item.name, item.value);
    }
    const ports = Object.fromEntries(
      containers.flatMap((ct) => ct.ports.map((p) => [p.name, p.containerPort])),
    );
    const annotations = ((
      m.object.spec as { template: { metadata: { annotations?: Record<string, string> } } }
    ).template.metadata.annotations ?? {}) as Record<string, string>;
    result.set(m.name, { pod: inNamespace(d.spec.template.metadata.labels, ports), env, annotations });
  }
  return result;
}

/** What a pod is called in a pair: its app name for ours (the API and projector of reservation are one). */
const appOf = (name: string, pod: PodView) =>
  pod.namespace === NAMESPACE && pod.labels[NAME] && !OTHERS[name] ? pod.labels[NAME] : name;

/** Every "<from> -> <to>:<port name>" the policies let through, over every pod and every named port. */
function allowedPairs(c: Composition): string[] {
  const policies: NetworkPolicy[] = c.manifests
    .filter((m) => m.kind === 'NetworkPolicy')
    .map((m) => networkPolicySchema.parse(m.object));
  const pods = new Map<string, PodView>([
    ...[...workloads(c)].map(([name, w]) => [name, w.pod] as const),
    ...Object.entries(OTHERS).filter(
      ([name]) => name !== 'reserveit-pg' || c.manifests.some((m) => m.kind === 'Cluster'),
    ),
  ]);
  const pairs = new Set<string>();
  for (const [fromName, from] of pods)
    for (const [toName, to] of pods)
      for (const [portName, port] of Object.entries(to.ports))
        if (allows(policies, NAMESPACE, from, to, port))
          pairs.add(`${appOf(fromName, from)} -> ${appOf(toName, to)}:${portName}`);
  return [...pairs].sort();
}

/** The pairs the design asks for, derived from how each client is configured where it can be. */
function expectedPairs(c: Composition): string[] {
  const all = workloads(c);
  const services = new Map(
    c.manifests.filter((m) => m.kind === 'Service').map((m) => [m.name, serviceSchema.parse(m.object)]),
  );
  /** `reservation:50051` → "reservation:grpc": the app the Service selects and the port it targets. */
  const target = (address: string) => {
    const [host = '', port] = address.split(':');
    const service = services.get(host);
    const targetPort = service?.spec.ports.find((p) => p.port === Number(port))?.targetPort;
    if (!service || !targetPort) throw new Error(`${address} names no Service port`);
    return `${service.spec.selector[NAME]}:${targetPort}`;
  };
  const grpcByVariable = new Map<string, string>();
  const pairs = new Set<string>();
  for (const w of all.values()) {
    const app = w.pod.labels[NAME];
    for (const [key, value] of w.env) {
      if (key.endsWith('_GRPC_ADDRESS') && value) {
        grpcByVariable.set(key, target(value));
        pairs.add(`${app} -> ${target(value)}`);
      }
    }
    if (w.env.has('NATS_URL')) pairs.add(`${app} -> nats:client`);
    if (w.env.has('DATABASE_URL')) pairs.add(`${app} -> reserveit-pg:postgresql`);
    if (PUBLIC.includes(app ?? '')) pairs.add(`ingress-controller -> ${app}:http`);
    const metricsPort = Object.entries(w.pod.ports).find(
      ([, p]) => String(p) === w.annotations['prometheus.io/port'],
    );
    if (w.annotations['prometheus.io/scrape'] === 'true' && metricsPort)
      pairs.add(`prometheus -> ${app}:${metricsPort[0]}`);
  }
  for (const variable of OPS_GRPC) {
    const to = grpcByVariable.get(variable);
    if (!to) throw new Error(`no Deployment configures ${variable}, which ops jobs dial`);
    pairs.add(`ops -> ${to}`);
  }
  if (opsEnv.shape.NATS_URL) pairs.add('ops -> nats:client');
  if (opsEnv.shape.DATABASE_URL) pairs.add('ops -> reserveit-pg:postgresql');
  // The NATS servers route to each other; the Postgres instances replicate from each other and
  // the operator asks each for its status.
  pairs.add('nats -> nats:cluster');
  for (const from of ['reserveit-pg', 'cnpg-operator'])
    for (const port of ['postgresql', 'status']) pairs.add(`${from} -> reserveit-pg:${port}`);
  return [...pairs].sort();
}

describe('NetworkPolicies', () => {
  const prod = compose(join(k8s, 'overlays', 'prod'), k8s);
  const local = compose(join(k8s, 'overlays', 'local'), k8s);

  it('let through exactly the connections the services make, the ingress controller, Prometheus and the data stores need', () => {
    expect(allowedPairs(prod)).toEqual(expectedPairs(prod));
  });

  it('do the same in the local overlay, plus the services sending traces to Jaeger', () => {
    const jaeger = [...workloads(local).values()]
      .map((w) => w.pod.labels[NAME])
      .filter((app) => app !== 'jaeger')
      .flatMap((app) => [`${app} -> jaeger:otlp-grpc`, `${app} -> jaeger:otlp-http`]);
    expect(allowedPairs(local)).toEqual([...new Set([...expectedPairs(local), ...jaeger])].sort());
  });

  it('deny by default: a pod the other policies forget takes no connection', () => {
    const policies = prod.manifests
      .filter((m) => m.kind === 'NetworkPolicy')
      .map((m) => networkPolicySchema.parse(m.object));
    const newcomer = inNamespace({ [NAME]: 'newcomer' }, { http: 8080 });
    for (const [name, from] of Object.entries(OTHERS))
      expect(allows(policies, NAMESPACE, from, newcomer, 8080), name).toBe(false);
  });
});

describe('allows (the NetworkPolicy semantics the check relies on)', () => {
  const policy = (ingress: unknown[]) =>
    networkPolicySchema.parse({
      metadata: { name: 'p' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress },
    });
  const db = inNamespace({ app: 'db' }, { sql: 5432 });
  const web = inNamespace({ app: 'web' });

  it('lets everything reach a pod no policy selects, and nothing reach a selected pod without a rule', () => {
    expect(allows([policy([])], NAMESPACE, db, web, 80)).toBe(true);
    expect(allows([policy([])], NAMESPACE, web, db, 5432)).toBe(false);
  });

  it('matches named ports on the destination, and a pod selector only in the policy’s own namespace', () => {
    const rule = policy([
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'sql' }] },
    ]);
    expect(allows([rule], NAMESPACE, web, db, 5432)).toBe(true);
    expect(allows([rule], NAMESPACE, web, db, 5433)).toBe(false);
    expect(allows([rule], NAMESPACE, elsewhere('other', {}, { app: 'web' }), db, 5432)).toBe(false);
  });

  it('needs both selectors of one peer to match, and either of two peers', () => {
    const both = policy([
      {
        from: [
          { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    ]);
    expect(allows([both], NAMESPACE, elsewhere('a', { team: 'a' }, { app: 'web' }), db, 5432)).toBe(true);
    expect(allows([both], NAMESPACE, elsewhere('a', { team: 'a' }, { app: 'cron' }), db, 5432)).toBe(false);
    const either = policy([
      {
        from: [
          { namespaceSelector: { matchLabels: { team: 'a' } } },
          { podSelector: { matchLabels: { app: 'web' } } },
        ],
      },
    ]);
    expect(allows([either], NAMESPACE, elsewhere('a', { team: 'a' }, { app: 'cron' }), db, 5432)).toBe(true);
    expect(allows([either], NAMESPACE, web, db, 5432)).toBe(true);
  });

  it('refuses a policy it cannot judge (egress, ipBlock) rather than misjudge it', () => {
    expect(() =>
      networkPolicySchema.parse({
        metadata: { name: 'e' },
        spec: { podSelector: {}, policyTypes: ['Egress'] },
      }),
    ).toThrow();
    expect(() => policy([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])).toThrow();
  });
});
