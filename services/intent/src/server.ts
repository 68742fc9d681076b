import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  grpcServerTls,
  type IntentConfig,
  natsCredentials,
  natsTls,
  projectsMemory,
} from '@reserveit/config';
import { topology as makeTopology, type Topology } from '@reserveit/contracts';
import { createDatabase, migrateSchema } from '@reserveit/db';
import { connectNats, ensureStream, type NatsConnection, type RunningConsumer } from '@reserveit/messaging';
import { startGrpcServer } from '@reserveit/rpc';
import { IntentServiceService } from '@reserveit/rpc/intent/v1/intent';
import { boundUrl, buildProbeServer, createMetrics, type Logger, type Registry } from '@reserveit/telemetry';
import { type Kysely, sql } from 'kysely';
import { type IntentDatabase, migrations, SCHEMA } from './database.js';
import { INTENT_SERVICE_NAME, intentService } from './grpc-service.js';
import { bufferedRecorder, type InferenceRecorder } from './inference-recorder.js';
import { createInterpreter, type LlmSetup } from './interpreter.js';
import { CircuitBreaker } from './llm/circuit-breaker.js';
import { openAiProvider } from './llm/openai-provider.js';
import { startMemoryProjector } from './memory/memory-projector.js';
import { postgresMemory } from './memory/memory-store.js';
import { intentMetrics } from './metrics.js';
import { trainIntentModel } from './nlu/model/intent-model.js';
import { loadTrainingExamples } from './nlu/model/training-corpus.js';
import { normalize } from './nlu/normalize.js';

export interface RunningIntent {
  /** host:port of the gRPC server. */
  grpcAddress: string;
  grpcPort: number;
  /** http://host:port of /healthz, /readyz, /metrics. */
  httpAddress: string;
  topology: Topology;
  registry: Registry;
  recorder: InferenceRecorder;
  /** Stops taking calls, finishes in-flight ones, stops the projector, writes buffered records, closes connections. */
  close(deadlineMs?: number): Promise<void>;
}

/** Migrates, connects, starts gRPC, HTTP and the memory projector. Used by main and by the tests alike. */
export async function startIntent(config: IntentConfig, logger: Logger): Promise<RunningIntent> {
  const db = createDatabase<IntentDatabase>({
    url: config.DATABASE_URL,
    applicationName: 'intent',
    logger,
    // Memory tables grow as fast as turns arrive; nothing here is hot enough for planning to matter.
    customPlans: true,
  });
  // Migrations build their own tables, so they take the untyped view of the same pool.
  await migrateSchema(db as unknown as Kysely<unknown>, SCHEMA, migrations);
  const registry = createMetrics('intent');
  const metrics = intentMetrics(registry);
  const recorder = bufferedRecorder({
    db,
    flushMs: config.INTENT_RECORD_FLUSH_MS,
    maxBuffered: config.INTENT_RECORD_BUFFER,
    metrics,
    logger,
  });

  const topology = makeTopology(config.NATS_PREFIX, {
    duplicateWindowSeconds: config.NATS_DUPLICATE_WINDOW_SECONDS,
  });
  let nc: NatsConnection | undefined;
  let projector: RunningConsumer | undefined;
  if (projectsMemory(config)) {
    nc = await connectNats({
      url: config.NATS_URL,
      name: 'intent',
      logger,
      credentials: natsCredentials(config, 'intent'),
      tls: natsTls(config),
    });
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, topology.streams.conversations, { replicas: config.NATS_STREAM_REPLICAS });
    projector = await startMemoryProjector({
      js: jetstream(nc),
      jsm,
      topology,
      db,
      logger,
      applied: metrics.memoryEvents,
      now: Date.now,
    });
  }

  let llm: LlmSetup | undefined;
  if (config.INTENT_PROVIDER === 'llm') {
    llm = {
      provider: openAiProvider({
        baseUrl: config.INTENT_LLM_BASE_URL,
        model: config.INTENT_LLM_MODEL,
        apiKey: config.INTENT_LLM_API_KEY,
      }),
      breaker: new CircuitBreaker(
        {
          window: config.INTENT_LLM_BREAKER_WINDOW,
          errorRate: config.INTENT_LLM_BREAKER_ERROR_RATE,
          minimumCalls: Math.min(config.INTENT_LLM_BREAKER_WINDOW, 5),
          cooldownMs: config.INTENT_LLM_BREAKER_COOLDOWN_MS,
        },
        () => Date.now(),
        (kind) => {
          metrics.breakerOpen.set(kind === 'closed' ? 0 : 1);
          logger.warn({ breaker: kind }, `LLM circuit breaker ${kind}`);
        },
      ),
      memory: postgresMemory(db),
      timeoutMs: config.INTENT_LLM_TIMEOUT_MS,
    };
  }
  // Trained at every start from the corpus shipped with the package: deterministic (nlu/model),
  // nothing downloaded, about a hundred milliseconds.
  const trainingStarted = performance.now();
  const examples = loadTrainingExamples();
  const model = trainIntentModel(examples, normalize);
  logger.info(
    { examples: examples.length, ms: Math.round(performance.now() - trainingStarted) },
    'intent model trained',
  );
  const interpreter = createInterpreter({ ...(llm ? { llm } : {}), model, recorder, metrics, logger });
  const grpc = await startGrpcServer(
    config.INTENT_HOST,
    config.INTENT_GRPC_PORT,
    [
      {
        definition: IntentServiceService,
        implementation: intentService(interpreter, logger),
        name: INTENT_SERVICE_NAME,
      },
    ],
    {
      audience: 'intent',
      trustedKeys: config.RPC_TRUSTED_KEYS,
      verifySignatures: config.RPC_VERIFY_CALLERS,
      logger,
      refused: metrics.grpcRefused,
    },
    grpcServerTls(config),
  );

  let stopping = false;
  const http = buildProbeServer({
    registry,
    logger,
    async readiness() {
      const database = await sql`select 1`
        .execute(db)
        .then(() => true)
        .catch(() => false);
      const checks = { grpc: !stopping, database, nats: nc ? !nc.isClosed() : true };
      const failing = Object.entries(checks)
        .filter(([, ok]) => !ok)
        .map(([name]) => name);
      return {
        ready: failing.length === 0,
        detail: failing.length === 0 ? 'grpc, database and nats ok' : `not ok: ${failing.join(', ')}`,
      };
    },
  });
  await http.listen({ host: config.INTENT_HOST, port: config.INTENT_HTTP_PORT });
  const httpAddress = boundUrl(http.server.address());
  return {
    grpcAddress: grpc.address,
    grpcPort: grpc.port,
    httpAddress,
    topology,
    registry,
    recorder,
    async close(deadlineMs = config.SHUTDOWN_DEADLINE_MS) {
      // Not ready first, so the load balancer stops sending calls before the server stops taking them.
      stopping = true;
      grpc.setServing(false);
      if (config.SHUTDOWN_DRAIN_MS > 0)
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      await grpc.stop(Math.max(100, deadlineMs / 2));
      await projector?.stop();
      await recorder.close();
      await http.close();
      await llm?.provider.close();
      await nc?.drain();
      await db.destroy();
    },
  };
}
