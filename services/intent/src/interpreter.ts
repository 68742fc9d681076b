import { trace } from '@opentelemetry/api';
import type { Logger } from '@reserveit/telemetry';
import type { InferenceRecorder } from './inference-recorder.js';
import type { CircuitBreaker } from './llm/circuit-breaker.js';
import { crossCheckEntities } from './llm/entity-cross-check.js';
import { type FallbackReason, LlmFailure, type LlmProvider } from './llm/openai-provider.js';
import type { MemoryStore, Turn } from './memory/memory-store.js';
import type { IntentMetrics } from './metrics.js';
import { type Interpretation, type InterpretInput, interpretWithRules } from './nlu/index.js';
import type { IntentModel } from './nlu/model/intent-model.js';

/** The inference records' `model` when the trained intent model decided beside the rules. */
export const LOCAL_MODEL_NAME = 'nlpjs-intent';

export interface Outcome {
  interpretation: Interpretation;
  source: 'rules' | 'llm';
  model: string;
  fallbackReason?: FallbackReason;
  latencyMs: number;
}

export interface Interpreter {
  /** `budgetMs`: time left before the caller's deadline; the LLM gets what remains after a margin for rules. */
  interpret(input: InterpretInput, budgetMs?: number): Promise<Outcome>;
}

export interface LlmSetup {
  provider: LlmProvider;
  breaker: CircuitBreaker;
  memory: MemoryStore;
  timeoutMs: number;
}

export interface InterpreterDeps {
  llm?: LlmSetup;
  /** The trained intent model (nlu/model); without it the cue tables alone decide the intent. */
  model?: IntentModel;
  recorder: InferenceRecorder;
  metrics: IntentMetrics;
  logger: Logger;
  /** Monotonic milliseconds, for latency. */
  clock?: () => number;
}

/** Rules answer within a millisecond; this much of a caller's deadline is kept for them. */
const RULES_MARGIN_MS = 50;

export function createInterpreter(deps: InterpreterDeps): Interpreter {
  const clock = deps.clock ?? (() => performance.now());
  const { metrics, recorder, llm, model } = deps;
  const localModel = model ? LOCAL_MODEL_NAME : '';
  const local = (input: InterpretInput) => interpretWithRules(input, model);

  const finish = (
    input: InterpretInput,
    started: number,
    partial: Omit<Outcome, 'latencyMs'>,
    error?: string,
  ): Outcome => {
    const latencyMs = clock() - started;
    const outcome: Outcome = { ...partial, latencyMs };
    metrics.inferences.inc({ provider: outcome.source, intent: outcome.interpretation.intent });
    metrics.inferenceSeconds.observe({ provider: outcome.source }, latencyMs / 1000);
    if (outcome.fallbackReason) metrics.fallbacks.inc({ reason: outcome.fallbackReason });
    trace.getActiveSpan()?.setAttributes({
      'reserveit.intent': outcome.interpretation.intent,
      'reserveit.intent.source': outcome.source,
      ...(input.conversationId ? { 'reserveit.conversation': input.conversationId } : {}),
      ...(outcome.fallbackReason ? { 'reserveit.intent.fallback': outcome.fallbackReason } : {}),
    });
    recorder.record({
      recorded_at: new Date(),
      conversation_id: input.conversationId,
      provider: outcome.source,
      model: outcome.model,
      intent: outcome.interpretation.intent,
      language: outcome.interpretation.language,
      confidence: outcome.interpretation.confidence,
      latency_ms: latencyMs,
      fallback_reason: outcome.fallbackReason ?? null,
      error: error ?? null,
      text_length: input.text.length,
    });
    return outcome;
  };

  /**
   * The conversation memory, or none when it cannot be read: counted, logged, and given back as a
   * note for the inference record, never thrown.
   */
  const readMemory = async (
    memory: MemoryStore,
    conversationId: string,
    now: Date,
  ): Promise<{ turns: Turn[]; note?: string }> => {
    try {
      return { turns: await memory.recent(conversationId, now) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      metrics.memoryUnavailable.inc();
      trace.getActiveSpan()?.setAttribute('reserveit.intent.memory', 'unavailable');
      deps.logger.warn(
        { err: error, conversationId },
        'conversation memory unavailable; the model answers without it',
      );
      return { turns: [], note: `memory_unavailable: ${message}`.slice(0, 500) };
    }
  };

  return {
    async interpret(input, budgetMs = Number.POSITIVE_INFINITY) {
      const started = clock();
      // A completed Flow is structured data (nlu/flow-reply.ts): read exactly, never guessed at.
      if (!llm || input.interactive?.kind === 'nfm_reply')
        return finish(input, started, { interpretation: local(input), source: 'rules', model: localModel });

      const deadlineAt = started + budgetMs;
      const timeLeft = () => Math.floor(Math.min(llm.timeoutMs, deadlineAt - clock() - RULES_MARGIN_MS));
      const rulesInstead = (fallbackReason: FallbackReason, error?: string) =>
        finish(
          input,
          started,
          { interpretation: local(input), source: 'rules', model: localModel, fallbackReason },
          error,
        );
      if (timeLeft() <= 0) return rulesInstead('timeout', "no time left before the caller's deadline");
      if (!llm.breaker.tryAcquire()) return rulesInstead('circuit_open');
      // Memory is read outside the LLM's try: a Postgres failure says nothing about the model, so
      // it must neither count against the breaker nor turn into a "network" fallback. The model
      // answers without memory instead (a worse answer than with it, a better one than rules).
      const memory = input.conversationId
        ? await readMemory(llm.memory, input.conversationId, input.now)
        : { turns: [] };
      // Measured after the memory read, so the model gets only what is really left. A slow memory
      // read that ate the budget is not the model's failure either: the breaker gets its admission
      // back without an outcome.
      const timeoutMs = timeLeft();
      if (timeoutMs <= 0) {
        llm.breaker.release();
        return rulesInstead('timeout', memory.note ?? "no time left before the caller's deadline");
      }
      try {
        const answered = await llm.provider.interpret(input, memory.turns, timeoutMs);
        llm.breaker.record(true);
        const checked = crossCheckEntities(answered.entities, local(input).entities);
        for (const field of checked.disagreements) metrics.llmEntityDisagreements.inc({ field });
        if (checked.disagreements.length > 0)
          deps.logger.info(
            { fields: checked.disagreements, conversationId: input.conversationId },
            "LLM entities disagreed with the text's; the rules' values kept",
          );
        const notes = [
          memory.note,
          checked.disagreements.length > 0
            ? `entity_disagreement: ${checked.disagreements.join(',')}`
            : undefined,
        ].filter((note) => note !== undefined);
        return finish(
          input,
          started,
          {
            interpretation: { ...answered, entities: checked.entities },
            source: 'llm',
            model: llm.provider.model,
          },
          notes.length > 0 ? notes.join('; ') : undefined,
        );
      } catch (error) {
        llm.breaker.record(false);
        const reason = error instanceof LlmFailure ? error.reason : 'network';
        const message = error instanceof Error ? error.message : String(error);
        metrics.llmErrors.inc({ reason });
        deps.logger.warn({ reason, error: message }, 'LLM gave no usable answer; rules answered');
        return rulesInstead(reason, message.slice(0, 500));
      }
    },
  };
}
