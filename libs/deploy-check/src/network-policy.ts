import { z } from 'zod';

const labels = z.record(z.string(), z.string());

const labelSelector = z.strictObject({
  matchLabels: labels.default({}),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

/** ipBlock is left out on purpose: our policies name pods and namespaces, never addresses. */
const peer = z.strictObject({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
});

const policyPort = z.strictObject({
  port: z.union([z.string(), z.number()]),
  protocol: z.literal('TCP').default('TCP'),
});

/** A networking.k8s.io/v1 NetworkPolicy restricted to what `allows` can judge: ingress rules over TCP. */
export const networkPolicySchema = z.object({
  metadata: z.object({ name: z.string() }).loose(),
  spec: z.strictObject({
    podSelector: labelSelector,
    policyTypes: z.array(z.literal('Ingress')).min(1),
    ingress: z
      .array(z.strictObject({ from: z.array(peer).default([]), ports: z.array(policyPort).default([]) }))
      .default([]),
  }),
});

export type NetworkPolicy = z.infer<typeof networkPolicySchema>;
type LabelSelector = z.infer<typeof labelSelector>;

/** A pod as the policies see it: its namespace's labels, its own, and its named container ports. */
export interface PodView {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
  ports: Record<string, number>;
}

export function selects(selector: LabelSelector, subject: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels).every(([key, value]) => subject[key] === value);
  return (
    byLabel &&
    selector.matchExpressions.every(({ key, operator, values }) => {
      const value = subject[key];
      if (operator === 'In') return value !== undefined && values.includes(value);
      if (operator === 'NotIn') return value === undefined || !values.includes(value);
      return (value !== undefined) === (operator === 'Exists');
    })
  );
}

/**
 * Whether the policies of `namespace` let `from` open a TCP connection to `to` on `port`, as the
 * API defines it: a pod no policy selects takes everything; a selected pod takes what any rule of
 * any policy selecting it allows. A peer with only a podSelector means pods of the policy's own
 * namespace; with both selectors, pods matching both.
 */
export function allows(
  policies: readonly NetworkPolicy[],
  namespace: string,
  from: PodView,
  to: PodView,
  port: number,
): boolean {
  if (to.namespace !== namespace) return true;
  const isolating = policies.filter((policy) => selects(policy.spec.podSelector, to.labels));
  if (isolating.length === 0) return true;
  const peerMatches = (p: z.infer<typeof peer>) =>
    (p.namespaceSelector
      ? selects(p.namespaceSelector, from.namespaceLabels)
      : from.namespace === namespace) &&
    (!p.podSelector || selects(p.podSelector, from.labels));
  const portMatches = (p: z.infer<typeof policyPort>) =>
    typeof p.port === 'number' ? p.port === port : to.ports[p.port] === port;
  return isolating.some((policy) =>
    policy.spec.ingress.some(
      (rule) =>
        (rule.from.length === 0 || rule.from.some(peerMatches)) &&
        (rule.ports.length === 0 || rule.ports.some(portMatches)),
    ),
  );
}
