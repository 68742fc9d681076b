import { createLogger, createMetrics } from '@reserveit/telemetry';
import { describe, expect, it } from 'vitest';
import type { InferenceRecord } from '../src/inference-recorder.js';
import { createInterpreter } from '../src/interpreter.js';
import { CircuitBreaker } from '../src/llm/circuit-breaker.js';
import type { LlmProvider } from '../src/llm/openai-provider.js';
import type { MemoryStore } from '../src/memory/memory-store.js';
import { intentMetrics } from '../src/metrics.js';
import { interpretWithRules } from '../src/nlu/index.js';

/**
 * The interpreter's shell with an injected clock: a memory read that eats the whole budget is
 * simulated by advancing the clock inside it, which needs no timers and no database.
 */
describe('interpreter budget around the memory read', () => {
  const input = {
    text: 'table for 2 tomorrow at 8',
    localeHint: '',
    conversationId: 'conv-1',
    timeZone: 'Asia/Dubai',
    now: new Date('2026-11-23T15:00:00Z'),
  };

  it('answers with rules on a timeout and hands the half-open trial back when reading memory used up the budget', async () => {
    let now = 0;
    // Open, and past its cool-down: the next admission is the one half-open trial.
    const breaker = new CircuitBreaker(
      { window: 2, errorRate: 0.5, minimumCalls: 2, cooldownMs: 10 },
      () => now,
    );
    breaker.tryAcquire();
    breaker.record(false);
    breaker.tryAcquire();
    breaker.record(false);
    expect(breaker.kind).toBe('open');
    now = 100;
    const slowMemory: MemoryStore = {
      async recent() {
        now += 1_000;
        return [];
      },
    };
    let modelCalls = 0;
    const provider: LlmProvider = {
      model: 'fake',
      async interpret(request) {
        modelCalls += 1;
        return interpretWithRules(request);
      },
      async close() {},
    };
    const records: InferenceRecord[] = [];
    const interpreter = createInterpreter({
      llm: { provider, breaker, memory: slowMemory, timeoutMs: 300 },
      recorder: { record: (entry) => records.push(entry), flush: async () => {}, close: async () => {} },
      metrics: intentMetrics(createMetrics('intent-test')),
      logger: createLogger('intent-test', 'silent'),
      clock: () => now,
    });
    const outcome = await interpreter.interpret({ ...input }, 500);
    expect(outcome).toMatchObject({ source: 'rules', fallbackReason: 'timeout' });
    expect(modelCalls).toBe(0);
    // Not a failure of the model: still half-open, and the next call is let through as the trial.
    expect(breaker.kind).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
  });
});

describe('a completed Flow with a model configured', () => {
  it('is read by the rules, exactly, and the model is not asked', async () => {
    let modelCalls = 0;
    const provider: LlmProvider = {
      model: 'fake',
      async interpret(request) {
        modelCalls += 1;
        return interpretWithRules(request);
      },
      async close() {},
    };
    const interpreter = createInterpreter({
      llm: {
        provider,
        breaker: new CircuitBreaker({ window: 2, errorRate: 0.5, minimumCalls: 2, cooldownMs: 10 }, () => 0),
        memory: { recent: async () => [] },
        timeoutMs: 300,
      },
      recorder: { record: () => {}, flush: async () => {}, close: async () => {} },
      metrics: intentMetrics(createMetrics('intent-test-flow')),
      logger: createLogger('intent-test', 'silent'),
      clock: () => 0,
    });
    const responseJson = JSON.stringify({
      flow_token: 'book.demo-dubai.n1',
      date: '2026-11-27',
      time: '20:30',
      party_size: '4',
      name: 'Layla',
    });
    const outcome = await interpreter.interpret(
      {
        text: 'Sent',
        localeHint: 'en',
        conversationId: 'conv-2',
        timeZone: 'Asia/Dubai',
        now: new Date('2026-11-23T15:00:00Z'),
        interactive: { kind: 'nfm_reply', id: responseJson, title: 'Sent' },
      },
      5_000,
    );
    expect(outcome).toMatchObject({
      source: 'rules',
      interpretation: {
        intent: 'BOOK',
        entities: { date: '2026-11-27', time: '20:30', partySize: 4, guestName: 'Layla' },
      },
    });
    expect(modelCalls).toBe(0);
  });
});
