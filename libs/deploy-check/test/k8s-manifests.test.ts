import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  consoleEnv,
  conversationEnv,
  ingressEnv,
  intentEnv,
  reservationEnv,
  schedulerEnv,
  senderEnv,
} from '@reserveit/config';
import { type DevCertificates, ensureDevCertificates, findRepoRoot } from '@reserveit/localstack';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  applyPatch,
  type Composition,
  compose,
  type Manifest,
  patchOperations,
  readYamlDocuments,
} from '../src/index.js';
import {
  certificateSchema,
  deploymentSchema,
  hpaSchema,
  issuerSchema,
  pdbSchema,
  serviceSchema,
} from './k8s-shapes.js';

const root = findRepoRoot();
const k8s = join(root, 'deploy', 'k8s');
const overlays = ['local', 'prod'] as const;
const composed: Record<(typeof overlays)[number], Composition> = {
  local: compose(join(k8s, 'overlays', 'local'), k8s),
  prod: compose(join(k8s, 'overlays', 'prod'), k8s),
};
const base = compose(join(k8s, 'base'), k8s);

/** Each service, the env schema it parses at start, and the variables holding its ports. */
const SERVICES = {
  ingress: { env: ingressEnv, http: 'INGRESS_PORT', grpc: undefined, hpa: true },
  intent: { env: intentEnv, http: 'INTENT_HTTP_PORT', grpc: 'INTENT_GRPC_PORT', hpa: true },
  reservation: {
    env: reservationEnv,
    http: 'RESERVATION_HTTP_PORT',
    grpc: 'RESERVATION_GRPC_PORT',
    hpa: true,
  },
  conversation: {
    env: conversationEnv,
    http: 'CONVERSATION_HTTP_PORT',
    grpc: 'CONVERSATION_GRPC_PORT',
    hpa: false,
  },
  sender: { env: senderEnv, http: 'SENDER_HTTP_PORT', grpc: undefined, hpa: true },
  // Replicas of its job runner share one queue; the intake is one replica (scheduler-intake).
  scheduler: { env: schedulerEnv, http: 'SCHEDULER_HTTP_PORT', grpc: undefined, hpa: false },
  console: { env: consoleEnv, http: 'CONSOLE_PORT', grpc: undefined, hpa: true },
} as const satisfies Record<string, { env: z.ZodType; http: string; grpc: string | undefined; hpa: boolean }>;
type ServiceName = keyof typeof SERVICES;
const serviceNames = Object.keys(SERVICES) as ServiceName[];

/** Kubernetes' own schemas (OpenAPI, shipped in kubernetes-models) for the core kinds we use. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};
/** Custom resources: the operators' CRDs are not on npm, so their fields are checked below. */
const customKinds = new Set([
  'postgresql.cnpg.io/v1/Cluster',
  'cert-manager.io/v1/Issuer',
  'cert-manager.io/v1/Certificate',
]);

const of = (c: Composition, kind: string) => c.manifests.filter((m) => m.kind === kind);
const deployments = (c: Composition) =>
  of(c, 'Deployment').map((m) => ({ m, d: deploymentSchema.parse(m.object) }));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : /\.ya?ml$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/** A 32-byte key in base64url, as the RPC key variables take, made from the secret's name. */
const keyStandIn = (ref: string, caller = '') =>
  createHash('sha256').update(`${ref}${caller}`).digest('base64url');

/** A secret's stand-in of the form its variable takes; none is a development default. */
function standIn(name: string, ref: string): string {
  if (name === 'RPC_SIGNING_KEY') return keyStandIn(ref);
  if (name === 'RPC_TRUSTED_KEYS')
    return ['conversation', 'console', 'ops', 'ingress']
      .map((caller) => `${caller}=${keyStandIn(ref, caller)}`)
      .join(',');
  return `from-secret-${ref}-0123456789`;
}

type PodSpec = z.infer<typeof deploymentSchema>['spec']['template']['spec'];
type Container = PodSpec['containers'][number];

// Stand-ins for the files a Secret volume holds (the TLS certificates), made once for the file.
let standInDir: string;
let standInCerts: DevCertificates;
let standInFlowKey: string;
beforeAll(async () => {
  standInDir = mkdtempSync(join(tmpdir(), 'reserveit-k8s-certs-'));
  standInCerts = await ensureDevCertificates(standInDir);
  // The booking Flow's RSA key: none of the development one, as production needs.
  standInFlowKey = join(standInDir, 'flow-private-key.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(standInFlowKey, privateKey.export({ format: 'pem', type: 'pkcs8' }));
});
afterAll(() => {
  rmSync(standInDir, { recursive: true, force: true });
});

/** The Secret mounted where `path` lies in this container, if any. */
function secretMountedAt(
  path: string,
  container: Container,
  volumes: PodSpec['volumes'],
): string | undefined {
  const mount = container.volumeMounts.find((m) => path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  return volumes.find((v) => v.name === mount?.name)?.secret?.secretName;
}

/** The stand-in file for a *_FILE variable pointing into a mounted Secret: a CA, a certificate or a key. */
function standInFile(name: string, path: string, container: Container, volumes: PodSpec['volumes']): string {
  if (!secretMountedAt(path, container, volumes))
    throw new Error(`${container.name}: ${name}=${path} lies in no Secret volume the container mounts`);
  if (name.endsWith('_CA_FILE')) return standInCerts.caFile;
  if (name === 'WHATSAPP_FLOW_PRIVATE_KEY_FILE') return standInFlowKey;
  if (name.endsWith('_KEY_FILE')) return standInCerts.keyFile;
  return standInCerts.certFile;
}

/**
 * The environment a container starts with, as the pod would see it: the ConfigMap's data, then its
 * own `env` (which wins). A secretKeyRef becomes a stand-in that is no development default, so a
 * schema that refuses those in production accepts it; a *_FILE path into a mounted Secret becomes
 * a development certificate file of the same kind.
 */
function containerEnv(
  container: Container,
  configMaps: Map<string, Record<string, string>>,
  volumes: PodSpec['volumes'],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom) {
    const data = configMaps.get(from.configMapRef.name);
    if (!data)
      throw new Error(`envFrom names ConfigMap ${from.configMapRef.name}, which is not in the composition`);
    Object.assign(env, data);
  }
  for (const item of container.env) {
    const ref = `${item.valueFrom?.secretKeyRef.name}-${item.valueFrom?.secretKeyRef.key}`;
    env[item.name] = item.value ?? standIn(item.name, ref);
  }
  for (const [name, value] of Object.entries(env))
    if (name.endsWith('_FILE') && value) env[name] = standInFile(name, value, container, volumes);
  return env;
}

/** The container's environment as written (paths kept), for the TLS checks. */
function containerEnvRaw(container: Container, configMaps: Map<string, Record<string, string>>) {
  const env: Record<string, string> = {};
  for (const from of container.envFrom) Object.assign(env, configMaps.get(from.configMapRef.name));
  for (const item of container.env) if (item.value !== undefined) env[item.name] = item.value;
  return env;
}

function configMapsOf(c: Composition, patched = false): Map<string, Record<string, string>> {
  const maps = new Map<string, Record<string, string>>();
  for (const m of of(c, 'ConfigMap')) {
    let object = m.object;
    if (patched) {
      for (const { kustomization, dir } of c.kustomizations) {
        for (const p of kustomization.patches) {
          if (p.target?.kind === 'ConfigMap' && p.target.name === m.name) {
            object = applyPatch(object, patchOperations(p.patch, relative(k8s, dir)));
          }
        }
      }
    }
    maps.set(m.name, (object.data ?? {}) as Record<string, string>);
  }
  return maps;
}

describe('deploy/k8s parses and composes', () => {
  it('parses every YAML file under deploy/k8s without a syntax error', () => {
    const files = yamlFiles(k8s);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(() => readYamlDocuments(file), relative(root, file)).not.toThrow();
  });

  it('reaches every manifest file from an overlay (nothing orphaned), except the Helm values', () => {
    const reached = new Set([...composed.local.files, ...composed.prod.files]);
    const kustomizations = new Set(
      [...composed.local.kustomizations, ...composed.prod.kustomizations].map((k) =>
        join(k.dir, 'kustomization.yaml'),
      ),
    );
    const orphans = yamlFiles(k8s).filter(
      (file) => !reached.has(file) && !kustomizations.has(file) && !file.includes(join('infra', 'nats')),
    );
    expect(orphans.map((file) => relative(k8s, file))).toEqual([]);
  });

  it('composes both overlays from the base, with unique kind/name pairs and every patch aimed at something that exists', () => {
    for (const overlay of overlays) {
      const c = composed[overlay];
      expect(c.kustomizations.map((k) => relative(k8s, k.dir))).toContain('base');
      const keys = c.manifests.map((m) => `${m.kind}/${m.name}`);
      expect(new Set(keys).size, `${overlay}: duplicates in ${keys.join(', ')}`).toBe(keys.length);
      for (const { kustomization, dir } of c.kustomizations) {
        for (const p of kustomization.patches) {
          const targets = c.manifests.filter(
            (m) =>
              (!p.target?.kind || m.kind === p.target.kind) &&
              (!p.target?.name || m.name === p.target.name) &&
              (!p.target?.labelSelector ||
                p.target.labelSelector.split(',').every((pair) => {
                  const [key, value] = pair.split('=');
                  const labels = (m.object.metadata as { labels?: Record<string, string> }).labels;
                  return key !== undefined && labels?.[key] === value;
                })),
          );
          expect(
            targets.length,
            `${relative(k8s, dir)}: patch ${JSON.stringify(p.target)} matches nothing`,
          ).toBeGreaterThan(0);
          const ops = patchOperations(p.patch, relative(k8s, dir));
          for (const target of targets)
            expect(() => applyPatch(target.object, ops), `${target.kind}/${target.name}`).not.toThrow();
        }
        for (const image of kustomization.images) {
          expect(
            c.manifests.some((m) => JSON.stringify(m.object).includes(`"image":"${image.name}:`)),
            `${relative(k8s, dir)}: images entry ${image.name} names no container image`,
          ).toBe(true);
        }
      }
    }
  });

  it('validates every core object against the Kubernetes schemas and knows every custom kind', () => {
    for (const overlay of overlays) {
      for (const m of composed[overlay].manifests) {
        const key = `${m.apiVersion}/${m.kind}`;
        const Model = models[key];
        if (!Model) {
          expect(customKinds.has(key), `${m.file}: ${key} is neither validated nor a known custom kind`).toBe(
            true,
          );
          continue;
        }
        expect(() => new Model(m.object as never).validate(), `${m.file}: ${m.kind}/${m.name}`).not.toThrow();
      }
    }
  });

  it('rejects a Deployment with a port that is not a number (the schema check is real)', () => {
    const [first] = of(base, 'Deployment');
    const broken = structuredClone(first?.object) as {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    const port = broken.spec.template.spec.containers[0]?.ports[0];
    if (port) port.containerPort = 'http';
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort/);
  });
});

describe('the services on Kubernetes', () => {
  const byService = (c: Composition, name: ServiceName) =>
    deployments(c).filter(({ d }) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === name);

  it('deploys exactly the services, each a package in services/ with a start script, from image reserveit/<service>', () => {
    const names = new Set(
      deployments(base).map(({ d }) => d.spec.template.metadata.labels['app.kubernetes.io/name']),
    );
    expect([...names].sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) {
      const pkg = JSON.parse(readFileSync(join(root, 'services', name, 'package.json'), 'utf8')) as {
        name: string;
        main: string;
        scripts: Record<string, string>;
      };
      expect(pkg.name).toBe(`@reserveit/${name}`);
      expect(pkg.main).toBe('./dist/main.js');
      for (const { d } of byService(base, name)) {
        for (const c of d.spec.template.spec.containers)
          expect(c.image).toMatch(new RegExp(`^reserveit/${name}:`));
      }
    }
  });

  it('probes /readyz and /healthz on the HTTP port the service listens on, and names its gRPC port after the one it serves', () => {
    const configMaps = configMapsOf(base);
    for (const name of serviceNames) {
      const spec = SERVICES[name];
      const found = byService(base, name);
      expect(found.length, name).toBeGreaterThan(0);
      for (const { m, d } of found) {
        const [container] = d.spec.template.spec.containers;
        if (!container) throw new Error(`${m.name}: no container`);
        const config = spec.env.parse(
          containerEnv(container, configMaps, d.spec.template.spec.volumes),
        ) as Record<string, unknown>;
        const portOf = (portName: string) => container.ports.find((p) => p.name === portName)?.containerPort;
        expect(portOf('http'), `${m.name} http`).toBe(config[spec.http]);
        if (spec.grpc) expect(portOf('grpc'), `${m.name} grpc`).toBe(config[spec.grpc]);
        else expect(portOf('grpc'), `${m.name} has no gRPC server`).toBeUndefined();
        expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
        expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
        expect(container.resources.requests.cpu, m.name).toBeDefined();
        expect(container.resources.limits.memory, m.name).toBeDefined();
      }
    }
  });

  it('gives every service all the env its schema needs: production (prod overlay) refuses none of it, nor does development (local overlay)', () => {
    for (const [overlay, patched] of [
      ['prod', true],
      ['local', true],
    ] as const) {
      const c = composed[overlay];
      const configMaps = configMapsOf(c, patched);
      for (const name of serviceNames) {
        for (const { m, d } of byService(c, name)) {
          for (const container of d.spec.template.spec.containers) {
            const env = containerEnv(container, configMaps, d.spec.template.spec.volumes);
            const parsed = SERVICES[name].env.safeParse(env);
            expect(parsed.success, `${overlay} ${m.name}: ${parsed.error?.message}`).toBe(true);
            expect(env.NODE_ENV).toBe(overlay === 'prod' ? 'production' : 'development');
            expect(env.NATS_STREAM_REPLICAS).toBe(overlay === 'prod' ? '3' : '1');
          }
        }
      }
    }
  });

  it('takes secrets only from Secret references: no literal value for a secret variable, no Secret object outside the local overlay', () => {
    // A *_FILE variable names a file in a mounted Secret (the TLS key), not the secret itself.
    const secretish = /^(?!.*_FILE$).*(SECRET|TOKEN|KEY|PASSWORD|DATABASE_URL)/;
    for (const c of [base, composed.prod]) {
      expect(of(c, 'Secret')).toEqual([]);
      for (const { m, d } of deployments(c)) {
        for (const container of d.spec.template.spec.containers) {
          for (const item of container.env.filter((e) => secretish.test(e.name))) {
            expect(item.value, `${m.name} ${item.name}`).toBeUndefined();
            expect(item.valueFrom?.secretKeyRef.name, `${m.name} ${item.name}`).toMatch(
              /^reserveit-(secrets|pg-app)$/,
            );
          }
        }
      }
      for (const [name, data] of configMapsOf(c)) {
        expect(
          Object.keys(data).filter((key) => secretish.test(key)),
          `ConfigMap ${name}`,
        ).toEqual([]);
      }
    }
  });

  it('reads DATABASE_URL from the Secret CloudNativePG makes for the Cluster (<cluster>-app, key uri)', () => {
    const [cluster] = of(composed.prod, 'Cluster');
    expect(cluster?.apiVersion).toBe('postgresql.cnpg.io/v1');
    const refs = deployments(composed.prod).flatMap(({ d }) =>
      d.spec.template.spec.containers.flatMap((c) => c.env.filter((e) => e.name === 'DATABASE_URL')),
    );
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs)
      expect(ref.valueFrom?.secretKeyRef).toEqual({ name: `${cluster?.name}-app`, key: 'uri' });
    const spec = (cluster?.object.spec ?? {}) as { instances?: number; minSyncReplicas?: number };
    expect(spec.instances).toBe(3);
    expect(spec.minSyncReplicas).toBe(1);
  });

  it('drains before it stops: SHUTDOWN_DRAIN_MS > 0 and a grace period longer than drain plus deadline', () => {
    const data = configMapsOf(composed.prod).get('reserveit-config') ?? {};
    const drain = Number(data.SHUTDOWN_DRAIN_MS);
    const deadline = Number(data.SHUTDOWN_DEADLINE_MS);
    expect(drain).toBeGreaterThan(0);
    for (const { m, d } of deployments(composed.prod)) {
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000, m.name).toBeGreaterThan(
        drain + deadline,
      );
    }
  });

  it('runs containers as a non-root user with a read-only root filesystem', () => {
    for (const { m, d } of deployments(base)) {
      expect(d.spec.template.spec.securityContext.runAsNonRoot, m.name).toBe(true);
      for (const c of d.spec.template.spec.containers) {
        expect(c.securityContext.readOnlyRootFilesystem, m.name).toBe(true);
        expect(c.securityContext.allowPrivilegeEscalation, m.name).toBe(false);
      }
    }
  });
});

describe('selectors, Services, disruption budgets and autoscalers line up', () => {
  it('selects each Deployment’s own pods, and every Service reaches pods with the ports it targets', () => {
    for (const c of [composed.local, composed.prod]) {
      const all = deployments(c);
      for (const { m, d } of all)
        expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), m.name).toBe(true);
      for (const m of of(c, 'Service')) {
        const service = serviceSchema.parse(m.object);
        const pods = all.filter(({ d }) => matches(service.spec.selector, d.spec.template.metadata.labels));
        expect(pods.length, `Service ${m.name} selects no Deployment`).toBeGreaterThan(0);
        for (const port of service.spec.ports) {
          for (const { d } of pods) {
            const names = d.spec.template.spec.containers.flatMap((ct) => ct.ports.map((p) => p.name));
            expect(names, `Service ${m.name} targets ${port.targetPort}`).toContain(port.targetPort);
          }
        }
      }
    }
  });

  it('has a PodDisruptionBudget for each replicated service and an HPA for the stateless ones only (not conversation, not the projector)', () => {
    const all = deployments(base);
    const pdbs = of(base, 'PodDisruptionBudget').map((m) => pdbSchema.parse(m.object));
    const hpas = of(base, 'HorizontalPodAutoscaler').map((m) => hpaSchema.parse(m.object));
    for (const pdb of pdbs) {
      expect(
        all.some(({ d }) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)),
        pdb.metadata.name,
      ).toBe(true);
    }
    for (const hpa of hpas) {
      const target = all.find(({ m }) => m.name === hpa.spec.scaleTargetRef.name);
      expect(target, `HPA ${hpa.metadata.name} scales a Deployment that does not exist`).toBeDefined();
      expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    }
    for (const name of serviceNames) {
      const replicated = all.filter(({ m, d }) => m.name === name && d.spec.replicas > 1);
      for (const { m, d } of replicated) {
        expect(
          pdbs.some((pdb) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)),
          m.name,
        ).toBe(true);
      }
      expect(
        hpas.some((hpa) => hpa.spec.scaleTargetRef.name === name),
        `HPA for ${name}`,
      ).toBe(SERVICES[name].hpa);
    }
    // The sender's rate limit is shared by all its replicas (services/sender/README.md): the
    // value is the business number's own limit, within Meta's default 80 messages/s, however
    // many replicas the HPA runs.
    const sender = all.find(({ m }) => m.name === 'sender')?.d.spec.template.spec.containers[0];
    const rate = Number(sender?.env.find((e) => e.name === 'SENDER_RATE_PER_SECOND')?.value);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(80);
    const projector = all.find(({ m }) => m.name === 'reservation-projector');
    expect(projector?.d.spec.replicas).toBe(1);
    expect(projector?.d.spec.strategy.type).toBe('Recreate');
    expect(hpas.some((hpa) => hpa.spec.scaleTargetRef.name === 'reservation-projector')).toBe(false);
  });
});

describe('NATS through the official Helm chart', () => {
  const [values] = readYamlDocuments(join(k8s, 'infra', 'nats', 'values.yaml')) as [
    {
      config: {
        cluster: { enabled: boolean; replicas: number };
        jetstream: {
          enabled: boolean;
          fileStore: { enabled: boolean; pvc: { enabled: boolean } };
          merge: Record<string, unknown>;
        };
      };
      container: { image: { tag: string } };
    },
  ];

  it('runs 3 clustered servers with JetStream on file storage, as the R3 streams need', () => {
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream.enabled).toBe(true);
    expect(values.config.jetstream.fileStore).toMatchObject({ enabled: true, pvc: { enabled: true } });
  });

  it('pins nats-server 2.12.3 or newer and makes the fsync choice explicit (sync_interval)', () => {
    const version = /^(\d+)\.(\d+)\.(\d+)/.exec(values.container.image.tag)?.slice(1).map(Number) ?? [];
    const [major = 0, minor = 0, patch = 0] = version;
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(2_012_003);
    expect(values.config.jetstream.merge.sync_interval).toMatch(/^(always|\d+(ms|s|m))$/);
  });
});

describe('TLS from cert-manager (issue 16)', () => {
  const certificates = (c: Composition) => of(c, 'Certificate').map((m) => certificateSchema.parse(m.object));
  const issuers = (c: Composition) => of(c, 'Issuer').map((m) => issuerSchema.parse(m.object));
  /** The Certificate keeping the Secret mounted where this container's `variable` points. */
  const certificateBehind = (c: Composition, variable: string, d: z.infer<typeof deploymentSchema>) => {
    const [container] = d.spec.template.spec.containers;
    if (!container) throw new Error(`${d.metadata.name}: no container`);
    const path = containerEnvRaw(container, configMapsOf(c, true))[variable] ?? '';
    const secret = secretMountedAt(path, container, d.spec.template.spec.volumes);
    return certificates(c).find((cert) => cert.spec.secretName === secret);
  };

  it('mounts in every pod a Secret that a Certificate keeps, signed by the CA Issuer whose root a self-signed Issuer made', () => {
    for (const overlay of overlays) {
      const c = composed[overlay];
      const byName = new Map(issuers(c).map((issuer) => [issuer.metadata.name, issuer]));
      const ours = deployments(c).filter(({ d }) =>
        d.spec.template.spec.containers.some((container) => container.image.startsWith('reserveit/')),
      );
      expect(ours.length).toBe(10);
      for (const { m, d } of ours) {
        const cert = certificateBehind(c, 'NATS_TLS_CA_FILE', d);
        expect(cert, `${overlay} ${m.name}: no Certificate keeps the Secret it mounts`).toBeDefined();
        const issuer = byName.get(cert?.spec.issuerRef.name ?? '');
        if (!issuer || !('ca' in issuer.spec)) throw new Error(`${m.name}: not issued by a CA Issuer`);
        const root = certificates(c).find(
          (r) => 'ca' in issuer.spec && r.spec.secretName === issuer.spec.ca.secretName,
        );
        expect(root?.spec.isCA, `${overlay}: the CA Issuer's Secret is no CA Certificate`).toBe(true);
        expect('selfSigned' in (byName.get(root?.spec.issuerRef.name ?? '')?.spec ?? {})).toBe(true);
      }
    }
  });

  it('gives each gRPC server a server certificate for the host its clients dial', () => {
    const c = composed.prod;
    const all = deployments(c);
    const dialled = new Set(
      all.flatMap(({ d }) =>
        d.spec.template.spec.containers.flatMap((container) =>
          Object.entries(containerEnvRaw(container, configMapsOf(c, true)))
            .filter(([name]) => name.endsWith('_GRPC_ADDRESS'))
            .map(([, address]) => address.split(':')[0] ?? ''),
        ),
      ),
    );
    expect([...dialled].sort()).toEqual(['conversation', 'intent', 'reservation']);
    for (const host of dialled) {
      const servers = all.filter(
        ({ d }) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === host,
      );
      expect(servers.length, host).toBeGreaterThan(0);
      for (const { m, d } of servers) {
        const cert = certificateBehind(c, 'GRPC_TLS_CERT_FILE', d);
        expect(cert?.spec.dnsNames, m.name).toContain(host);
        expect(cert?.spec.usages, m.name).toContain('server auth');
      }
    }
  });

  it('is what production needs: without the TLS files it refuses to start', () => {
    const data = { ...configMapsOf(composed.prod, true).get('reserveit-config') };
    for (const name of ['GRPC_TLS_CERT_FILE', 'GRPC_TLS_KEY_FILE', 'GRPC_TLS_CA_FILE', 'NATS_TLS_CA_FILE'])
      delete data[name];
    const conversation = deployments(composed.prod).find(({ m }) => m.name === 'conversation')?.d;
    const [container] = conversation?.spec.template.spec.containers ?? [];
    if (!conversation || !container) throw new Error('no conversation Deployment');
    const env = containerEnv(
      container,
      new Map([['reserveit-config', data]]),
      conversation.spec.template.spec.volumes,
    );
    const parsed = conversationEnv.safeParse(env);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'GRPC_TLS_CA_FILE',
      'GRPC_TLS_CERT_FILE',
      'NATS_TLS_CA_FILE',
    ]);
  });

  it('has NATS serve clients and routes with a certificate for nats and its headless peers, verified against the same CA', () => {
    const [values] = readYamlDocuments(join(k8s, 'infra', 'nats', 'values.yaml')) as [
      {
        config: {
          nats: { tls: { enabled: boolean; secretName: string } };
          cluster: { tls: { enabled: boolean; secretName: string } };
        };
        tlsCA: { enabled: boolean; secretName: string; key: string };
      },
    ];
    expect(values.config.nats.tls.enabled).toBe(true);
    expect(values.config.cluster.tls).toEqual(values.config.nats.tls);
    expect(values.tlsCA).toEqual({
      enabled: true,
      secretName: values.config.nats.tls.secretName,
      key: 'ca.crt',
    });
    const natsHost = new URL(configMapsOf(composed.prod, true).get('reserveit-config')?.NATS_URL ?? '')
      .hostname;
    for (const overlay of overlays) {
      const cert = certificates(composed[overlay]).find(
        (r) => r.spec.secretName === values.config.nats.tls.secretName,
      );
      expect(cert?.spec.dnsNames, overlay).toContain(natsHost);
      expect(cert?.spec.dnsNames, overlay).toContain(`*.${natsHost}-headless`);
      expect(cert?.spec.usages, overlay).toEqual(expect.arrayContaining(['server auth', 'client auth']));
    }
  });
});

describe('each manifest only names what exists', () => {
  it('fails composition when a kustomization lists a resource that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reserveit-kustomize-'));
    try {
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n',
      );
      expect(() => compose(dir)).toThrow(/lists missing\.yaml, which does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds every object of the base in both overlays', () => {
    const key = (m: Manifest) => `${m.kind}/${m.name}`;
    for (const overlay of overlays) {
      const inOverlay = new Set(composed[overlay].manifests.map(key));
      for (const m of base.manifests) expect(inOverlay.has(key(m)), `${overlay} lacks ${key(m)}`).toBe(true);
    }
  });
});
