import { startEmbeddedPostgres, startNatsServer } from '@reserveit/localstack';
import type { TestProject } from 'vitest/node';
import './provided-context.js';

type Stop = () => Promise<void>;

interface Infra {
  natsUrl: string;
  databaseUrl: string;
  source: string;
  stops: Stop[];
}

const DOCKER_PROBE_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** True when testcontainers finds a Docker engine; never throws, never waits past 3 s. */
async function dockerAnswers(): Promise<boolean> {
  const probe = async (): Promise<boolean> => {
    // Imported lazily: loading testcontainers costs time and it has nothing to do without an engine.
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  };
  return (await withTimeout(probe(), DOCKER_PROBE_MS)) === true;
}

async function natsFromContainer(): Promise<{ url: string; stop: Stop }> {
  const { NatsContainer } = await import('@testcontainers/nats');
  const container = await new NatsContainer('nats:2.9.10').withJetStream().start();
  const url = `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  return { url, stop: async () => void (await container.stop()) };
}

async function postgresFromContainer(): Promise<{ url: string; stop: Stop }> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

async function provision(): Promise<Infra> {
  const envNats = process.env.NATS_URL;
  const envDb = process.env.DATABASE_URL;
  const stops: Stop[] = [];
  const sources: string[] = [];
  let natsUrl = envNats;
  let databaseUrl = envDb;
  if (natsUrl) sources.push('NATS from NATS_URL');
  if (databaseUrl) sources.push('Postgres from DATABASE_URL');

  const docker = natsUrl && databaseUrl ? false : await dockerAnswers();
  try {
    if (!natsUrl) {
      const nats = docker ? await natsFromContainer() : await startNatsServer();
      natsUrl = nats.url;
      stops.push(nats.stop);
      sources.push(docker ? 'NATS in a testcontainer' : 'local nats-server');
    }
    if (!databaseUrl) {
      const pg = docker ? await postgresFromContainer() : await startEmbeddedPostgres();
      databaseUrl = pg.url;
      stops.push(pg.stop);
      sources.push(docker ? 'Postgres in a testcontainer' : 'embedded Postgres');
    }
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
  if (!natsUrl || !databaseUrl) throw new Error('test infrastructure: no NATS or Postgres URL');
  return { natsUrl, databaseUrl, source: sources.join(', '), stops };
}

/**
 * Vitest globalSetup: one NATS JetStream server and one Postgres for the whole run, from
 * NATS_URL/DATABASE_URL, else testcontainers when a Docker engine answers, else local processes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await provision();
  // One line in the test run's output (no logger here: nothing to trace, nothing personal).
  process.stdout.write(`[testkit] test infrastructure: ${infra.source}\n`);
  project.provide('natsUrl', infra.natsUrl);
  project.provide('databaseUrl', infra.databaseUrl);
  return async () => {
    for (const stop of infra.stops.reverse()) await stop().catch(() => undefined);
  };
}
