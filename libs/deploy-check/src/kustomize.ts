import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/** One Kubernetes object of a manifest file. */
export interface Manifest {
  /** Path relative to the directory the composition started from. */
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  /** The whole object as parsed. */
  object: Record<string, unknown>;
}

const jsonPatchOp = z.object({
  op: z.enum(['add', 'replace', 'remove', 'test', 'move', 'copy']),
  path: z.string().startsWith('/'),
  value: z.unknown().optional(),
});

const patchSchema = z.object({
  target: z
    .object({
      kind: z.string().optional(),
      name: z.string().optional(),
      labelSelector: z.string().optional(),
    })
    .optional(),
  patch: z.string(),
});

export const kustomizationSchema = z.object({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  namespace: z.string().optional(),
  resources: z.array(z.string()).default([]),
  images: z
    .array(z.object({ name: z.string(), newName: z.string().optional(), newTag: z.string().optional() }))
    .default([]),
  patches: z.array(patchSchema).default([]),
  secretGenerator: z
    .array(z.object({ name: z.string(), literals: z.array(z.string()).default([]) }))
    .default([]),
  labels: z.array(z.object({ pairs: z.record(z.string(), z.string()) })).default([]),
});

export type Kustomization = z.infer<typeof kustomizationSchema>;
export type JsonPatchOp = z.infer<typeof jsonPatchOp>;

export interface Composition {
  /** Every kustomization.yaml visited, outermost first, with its directory. */
  kustomizations: { dir: string; kustomization: Kustomization }[];
  /** Objects of every resource file reached, in order. */
  manifests: Manifest[];
  /** Files reached as resources (absolute paths). */
  files: string[];
}

/** Parses every YAML document of a file; throws with the file name on any syntax error. */
export function readYamlDocuments(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as unknown;
  });
}

const objectHead = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({ name: z.string().min(1) }),
});

/**
 * Follows `resources` from a kustomization directory the way `kustomize build` does (files and
 * nested kustomization directories) and returns what it reaches, without applying transformations.
 * A resource that does not exist is an error, so a typo fails here and not on `kubectl apply`.
 */
export function compose(dir: string, root: string = dir): Composition {
  const path = join(dir, 'kustomization.yaml');
  if (!existsSync(path)) throw new Error(`${relative(root, dir) || '.'}: no kustomization.yaml`);
  const [doc] = readYamlDocuments(path);
  const kustomization = kustomizationSchema.parse(doc);
  const result: Composition = { kustomizations: [{ dir, kustomization }], manifests: [], files: [] };
  for (const entry of kustomization.resources) {
    const target = resolve(dir, entry);
    if (!existsSync(target)) throw new Error(`${relative(root, path)} lists ${entry}, which does not exist`);
    if (statSync(target).isDirectory()) {
      const nested = compose(target, root);
      result.kustomizations.push(...nested.kustomizations);
      result.manifests.push(...nested.manifests);
      result.files.push(...nested.files);
      continue;
    }
    result.files.push(target);
    for (const object of readYamlDocuments(target)) {
      const head = objectHead.parse(object);
      result.manifests.push({
        file: relative(root, target),
        apiVersion: head.apiVersion,
        kind: head.kind,
        name: head.metadata.name,
        object: head,
      });
    }
  }
  // `labels` of a kustomization land on every object it reaches (kustomize's label transformer).
  const pairs = Object.assign({}, ...kustomization.labels.map((l) => l.pairs)) as Record<string, string>;
  if (Object.keys(pairs).length > 0) {
    for (const manifest of result.manifests) {
      const metadata = manifest.object.metadata as Record<string, unknown>;
      metadata.labels = { ...(metadata.labels as Record<string, string> | undefined), ...pairs };
    }
  }
  return result;
}

/** The JSON-patch operations of one `patches` entry. */
export function patchOperations(patch: string, where: string): JsonPatchOp[] {
  const [doc] = parseAllDocuments(patch).map((d) => d.toJS() as unknown);
  const parsed = z.array(jsonPatchOp).safeParse(doc);
  if (!parsed.success)
    throw new Error(`${where}: only JSON 6902 patches are used here: ${parsed.error.message}`);
  return parsed.data;
}

function decode(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/**
 * Applies `replace` and `add` operations to a copy of `object`, as kustomize would; a `replace` of
 * a path that does not exist is an error there, and here too.
 */
export function applyPatch(object: Record<string, unknown>, ops: JsonPatchOp[]): Record<string, unknown> {
  const copy = structuredClone(object);
  for (const op of ops) {
    const segments = op.path.split('/').slice(1).map(decode);
    const last = segments.pop();
    if (last === undefined) throw new Error(`cannot patch the root (${op.path})`);
    let node: unknown = copy;
    for (const segment of segments) {
      if (typeof node !== 'object' || node === null || !(segment in node)) {
        throw new Error(`patch path ${op.path} does not exist`);
      }
      node = (node as Record<string, unknown>)[segment];
    }
    if (typeof node !== 'object' || node === null) throw new Error(`patch path ${op.path} does not exist`);
    const parent = node as Record<string, unknown>;
    if (op.op === 'replace' && !(last in parent))
      throw new Error(`patch replaces ${op.path}, which does not exist`);
    if (op.op !== 'replace' && op.op !== 'add') throw new Error(`patch op ${op.op} is not supported here`);
    parent[last] = op.value;
  }
  return copy;
}
