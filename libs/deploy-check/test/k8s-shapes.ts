import { z } from 'zod';

/** The fields of our manifests the checks rely on; the Kubernetes schemas check the rest. */
const labels = z.record(z.string(), z.string());

const secretRef = z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) });

const httpProbe = z.object({
  httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }),
});

export const containerSchema = z.object({
  name: z.string(),
  image: z.string(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number() })),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }) })).default([]),
  env: z
    .array(z.object({ name: z.string(), value: z.string().optional(), valueFrom: secretRef.optional() }))
    .default([]),
  readinessProbe: httpProbe.loose(),
  livenessProbe: httpProbe.loose(),
  resources: z.object({
    requests: z.object({ cpu: z.string().optional(), memory: z.string().optional() }),
    limits: z.object({ memory: z.string().optional() }),
  }),
  securityContext: z.object({
    readOnlyRootFilesystem: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
  }),
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() }).loose()).default([]),
});

export const volumeSchema = z
  .object({ name: z.string(), secret: z.object({ secretName: z.string() }).loose().optional() })
  .loose();

export const deploymentSchema = z.object({
  metadata: z.object({ name: z.string() }).loose(),
  spec: z.object({
    replicas: z.number(),
    strategy: z.object({ type: z.enum(['RollingUpdate', 'Recreate']) }).loose(),
    selector: z.object({ matchLabels: labels }),
    template: z.object({
      metadata: z.object({ labels }).loose(),
      spec: z.object({
        terminationGracePeriodSeconds: z.number(),
        securityContext: z.object({ runAsNonRoot: z.boolean().optional() }).loose(),
        containers: z.array(containerSchema).min(1),
        volumes: z.array(volumeSchema).default([]),
      }),
    }),
  }),
});

export const serviceSchema = z.object({
  metadata: z.object({ name: z.string() }).loose(),
  spec: z.object({
    selector: labels,
    ports: z.array(z.object({ name: z.string(), port: z.number(), targetPort: z.string() })).min(1),
  }),
});

export const pdbSchema = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({ selector: z.object({ matchLabels: labels }) }).loose(),
});

export const hpaSchema = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z
    .object({
      scaleTargetRef: z.object({ apiVersion: z.string(), kind: z.string(), name: z.string() }),
      minReplicas: z.number(),
      maxReplicas: z.number(),
    })
    .loose(),
});

/** cert-manager's Certificate and Issuer (its CRDs are not on npm): the fields the TLS checks use. */
export const certificateSchema = z.object({
  metadata: z.object({ name: z.string() }).loose(),
  spec: z
    .object({
      secretName: z.string(),
      isCA: z.boolean().optional(),
      dnsNames: z.array(z.string()).default([]),
      usages: z.array(z.string()).default([]),
      issuerRef: z.object({ kind: z.literal('Issuer'), name: z.string() }),
    })
    .loose(),
});

export const issuerSchema = z.object({
  metadata: z.object({ name: z.string() }).loose(),
  spec: z.union([
    z.object({ selfSigned: z.object({}).loose() }),
    z.object({ ca: z.object({ secretName: z.string() }) }),
  ]),
});
