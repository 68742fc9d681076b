import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_NATS_PASSWORDS } from '@reserveit/config';
import { NATS_USERS, type NatsUser, natsPasswordVariable } from '@reserveit/contracts';
import { findRepoRoot } from '@reserveit/localstack';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  compose,
  natsPasswordSecretKey,
  natsUsersValues,
  natsUsersValuesFile,
  readYamlDocuments,
} from '../src/index.js';

const root = findRepoRoot();
const k8s = join(root, 'deploy', 'k8s');

const secretRef = z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) });
const containerSchema = z.object({
  name: z.string(),
  env: z.array(z.object({ name: z.string(), value: z.string().optional(), valueFrom: secretRef.optional() })),
});
const deploymentSchema = z.object({
  metadata: z.object({ name: z.string() }),
  spec: z.object({ template: z.object({ spec: z.object({ containers: z.array(containerSchema) }) }) }),
});

const valuesSchema = z.object({
  config: z.object({
    merge: z.object({
      authorization: z.object({
        users: z.array(z.object({ user: z.string(), password: z.string() })),
      }),
    }),
  }),
  container: z.object({ env: z.record(z.string(), z.object({ valueFrom: secretRef })) }),
});

describe('NATS users in deploy/k8s', () => {
  it('holds values-users.yaml as the wiring table renders it (`pnpm nats:users` writes it again)', () => {
    expect(readFileSync(natsUsersValuesFile(root), 'utf8')).toBe(natsUsersValues());
  });

  it("gives the chart every user with its password from the Secret key the user's service reads", () => {
    const values = valuesSchema.parse(readYamlDocuments(natsUsersValuesFile(root))[0]);
    expect(values.config.merge.authorization.users.map((u) => u.user)).toEqual([...NATS_USERS]);
    for (const { user, password } of values.config.merge.authorization.users) {
      const variable = natsPasswordVariable(user);
      expect(password).toBe(`<< $${variable} >>`);
      expect(values.container.env[variable]?.valueFrom.secretKeyRef).toEqual({
        name: 'reserveit-secrets',
        key: natsPasswordSecretKey(user as NatsUser),
      });
    }
  });

  it('turns nats-box off in the production values (the local ones may keep it)', () => {
    const [values] = readYamlDocuments(join(k8s, 'infra', 'nats', 'values.yaml')) as [
      { natsBox?: { enabled?: boolean } },
    ];
    expect(values.natsBox?.enabled).toBe(false);
  });

  it.each(['local', 'prod'])(
    '%s: runs every service container as its own NATS user, password from the Secret',
    (overlay) => {
      const composition = compose(join(k8s, 'overlays', overlay), k8s);
      // Ours, not Jaeger's: reservation-projector runs the reservation image, as the reservation user.
      const serviceOf = (name: string) => name.replace(/-projector$/, '');
      const deployments = composition.manifests
        .filter((m) => m.kind === 'Deployment')
        .map((m) => deploymentSchema.parse(m.object))
        .filter((d) => (NATS_USERS as readonly string[]).includes(serviceOf(d.metadata.name)));
      expect(new Set(deployments.map((d) => serviceOf(d.metadata.name)))).toEqual(
        new Set(NATS_USERS.filter((user) => user !== 'ops')),
      );
      for (const deployment of deployments) {
        for (const container of deployment.spec.template.spec.containers) {
          const where = `${deployment.metadata.name}/${container.name}`;
          const user = container.env.find((e) => e.name === 'NATS_USER')?.value;
          expect(user, where).toBe(serviceOf(container.name));
          const password = container.env.find((e) => e.name === 'NATS_PASSWORD');
          expect(password?.value, where).toBeUndefined();
          expect(password?.valueFrom?.secretKeyRef, where).toEqual({
            name: 'reserveit-secrets',
            key: natsPasswordSecretKey(user as NatsUser),
          });
        }
      }
    },
  );

  it("generates the local overlay's Secret with every user's development password", () => {
    const { secretGenerator } = z
      // Other Secrets of the overlay may come from files (the Flow's development key) instead.
      .object({
        secretGenerator: z.array(z.object({ name: z.string(), literals: z.array(z.string()).optional() })),
      })
      .parse(readYamlDocuments(join(k8s, 'overlays', 'local', 'kustomization.yaml'))[0]);
    const literals = secretGenerator.find((s) => s.name === 'reserveit-secrets')?.literals ?? [];
    for (const user of NATS_USERS) {
      expect(literals).toContain(`${natsPasswordSecretKey(user)}=${DEV_NATS_PASSWORDS[user]}`);
    }
  });
});
