import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot, freePort, type NatsServer, startNatsServer } from '@reserveit/localstack';
import { z } from 'zod';

export interface ClusterNode {
  /** Unique per run, so two clusters on one host (parallel test runs) never mix up names. */
  name: string;
  server: NatsServer;
  /** http://127.0.0.1:<port> of the node's monitoring endpoint (/jsz, /routez). */
  monitorUrl: string;
  /** The port its peers' routes connect to. */
  routePort: number;
}

export interface NatsCluster {
  nodes: ClusterNode[];
  /** Every node's client URL, comma-separated: what NATS_URL holds for the services. */
  url: string;
  urls: string[];
  node(name: string): ClusterNode;
  /** Every node's log lines of refused publishes and subscriptions (`Permissions Violation`). */
  refusals(): Promise<string[]>;
  /** SIGTERM to every node that still runs; removes their temp store directories. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** deploy/nats of the repository; found from the working directory by default. */
  configDir?: string;
  /**
   * The users.conf the nodes include (deploy/nats/users.conf by default) and the environment with
   * its passwords (NATS_PASSWORD_<USER>); a test renders the users of its own prefix.
   */
  users?: { config: string; env: Record<string, string> };
  /** How long to wait for the JetStream meta leader; default 30 s. */
  leaderTimeoutMs?: number;
  /**
   * TLS for clients and for the routes between the nodes, as deploy/k8s/infra/nats/values.yaml
   * runs it: each node presents the certificate to clients and peers, and routes verify each
   * other against the CA (e.g. ensureDevCertificates' files, whose certificate is for 127.0.0.1).
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

/**
 * The `tls` block of a node's `cluster` (nats-server has no command-line flags for route TLS,
 * https://docs.nats.io/running-a-nats-service/configuration/securing_nats/tls#tls-for-clustering),
 * written into the node's copy of its committed file.
 */
const routeTls = (tls: NonNullable<NatsClusterOptions['tls']>): string =>
  `cluster {\n  tls {\n    cert_file: ${JSON.stringify(tls.certFile)}\n    key_file: ${JSON.stringify(tls.keyFile)}\n    ca_file: ${JSON.stringify(tls.caFile)}\n    verify: true\n  }\n`;

const jszSchema = z.object({
  meta_cluster: z.object({ leader: z.string().optional(), cluster_size: z.number().optional() }).optional(),
});

async function metaLeaderOf(node: ClusterNode): Promise<{ leader: string; size: number } | undefined> {
  try {
    const response = await fetch(`${node.monitorUrl}/jsz`, { signal: AbortSignal.timeout(1_000) });
    const meta = jszSchema.parse(await response.json()).meta_cluster;
    return meta?.leader ? { leader: meta.leader, size: meta.cluster_size ?? 0 } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts deploy/nats/cluster-node-{1,2,3}.conf as three processes on loopback. The committed files
 * fix ports (4221-4223, 6231-6233) and store dirs for a developer's machine; here flags override
 * them (command-line flags win over the file) with free ports and temp store dirs, so a test run
 * collides with nothing. Resolves once every node agrees on one JetStream meta leader: before that,
 * creating an R3 stream fails with "insufficient resources".
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const configDir = options.configDir ?? join(findRepoRoot(), 'deploy', 'nats');
  const run = randomBytes(3).toString('hex');
  const plan = await Promise.all(
    [1, 2, 3].map(async (index) => ({
      index,
      name: `reserveit-${index}-${run}`,
      client: await freePort(),
      route: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = plan.map((p) => `nats-route://127.0.0.1:${p.route}`).join(',');
  const configs = await mkdtemp(join(tmpdir(), 'reserveit-nats-cluster-'));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.server.stop()));
    await rm(configs, { recursive: true, force: true });
  };
  try {
    // nats-server 2.9 refuses a store_dir given both in the file and as -sd ("Duplicate
    // 'store_dir'"), so each node runs a copy of its committed file without that one line.
    for (const p of plan) {
      const committed = await readFile(join(configDir, `cluster-node-${p.index}.conf`), 'utf8');
      const withoutStore = committed.replace(/^\s*store_dir\s*:.*$/m, '');
      if (withoutStore === committed) throw new Error(`cluster-node-${p.index}.conf has no store_dir line`);
      const withTls = options.tls
        ? withoutStore.replace(/^cluster\s*\{\n/m, routeTls(options.tls))
        : withoutStore;
      if (options.tls && withTls === withoutStore)
        throw new Error(`cluster-node-${p.index}.conf has no "cluster {" block for the route TLS`);
      await writeFile(join(configs, `node-${p.index}.conf`), withTls);
    }
    // The nodes include ./users.conf, next to the copies.
    await writeFile(
      join(configs, 'users.conf'),
      options.users?.config ?? (await readFile(join(configDir, 'users.conf'), 'utf8')),
    );
    // All at once: a node waits for its routes, but it greets clients before they are up.
    const started = await Promise.all(
      plan.map(async (p) => ({
        name: p.name,
        monitorUrl: `http://127.0.0.1:${p.monitor}`,
        routePort: p.route,
        server: await startNatsServer({
          port: p.client,
          configFile: join(configs, `node-${p.index}.conf`),
          ...(options.users ? { env: options.users.env } : {}),
          ...(options.tls ? { tls: { certFile: options.tls.certFile, keyFile: options.tls.keyFile } } : {}),
          extraArgs: [
            '-l',
            join(configs, `node-${p.index}.log`),
            '--name',
            p.name,
            '--cluster_name',
            `reserveit-${run}`,
            '--cluster',
            `nats://127.0.0.1:${p.route}`,
            '--routes',
            routes,
            '-m',
            String(p.monitor),
          ],
        }),
      })),
    );
    nodes.push(...started);
    await waitForMetaLeader(nodes, options.leaderTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = nodes.map((node) => node.server.url);
  return {
    nodes,
    urls,
    url: urls.join(','),
    node: (name) => {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no cluster node named ${name}`);
      return found;
    },
    refusals: async () => {
      const logs = await Promise.all(
        plan.map((p) => readFile(join(configs, `node-${p.index}.log`), 'utf8').catch(() => '')),
      );
      return logs.flatMap((log) => log.split('\n').filter((line) => /Violation/.test(line)));
    },
    stop,
  };
}

async function waitForMetaLeader(nodes: ClusterNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(nodes.map(metaLeaderOf));
    const leaders = new Set(views.map((view) => view?.leader));
    if (leaders.size === 1 && views.every((view) => view && view.size === nodes.length)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `no JetStream meta leader all nodes agree on within ${timeoutMs} ms: ${JSON.stringify(views)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
