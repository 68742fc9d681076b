import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger, fastifyTracing, lazyRequestLoggers, maskLogFields, maskPhone } from '../src/index.js';

describe('maskPhone', () => {
  it('keeps the country prefix and the last four digits of a phone number', () => {
    expect(maskPhone('971501234567')).toBe('9715****4567');
    expect(maskPhone('US.13491208655302741918')).toBe('US.1****1918');
    expect(maskPhone('12345')).toBe('*****');
  });
});

describe('maskLogFields', () => {
  it('masks phone numbers and removes secrets at any depth, leaving other fields alone', () => {
    const masked = maskLogFields({
      guest: { waId: '971501234567', name: 'Sara' },
      contacts: [{ wa_id: '447700900123' }],
      headers: { authorization: 'Bearer abc', 'x-hub-signature-256': 'sha256=00' },
      wamid: 'wamid.HBgL',
    });
    expect(masked).toEqual({
      guest: { waId: '9715****4567', name: 'Sara' },
      contacts: [{ wa_id: '4477****0123' }],
      headers: { authorization: '[redacted]', 'x-hub-signature-256': '[redacted]' },
      wamid: 'wamid.HBgL',
    });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with the active trace and span ids, masked phone numbers and no secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const logger = createLogger('test', 'info', sink);
    const tracer = new BasicTracerProvider().getTracer('test');
    const span = tracer.startSpan('work');
    context.with(trace.setSpan(context.active(), span), () =>
      logger.info({ from: '971501234567', accessToken: 'EAAG' }, 'hello'),
    );
    span.end();
    expect(JSON.parse(lines[0]!)).toEqual(
      expect.objectContaining({
        service: 'test',
        from: '9715****4567',
        accessToken: '[redacted]',
        msg: 'hello',
        trace_id: span.spanContext().traceId,
        span_id: span.spanContext().spanId,
      }),
    );
  });
});

describe('error logging', () => {
  it("keeps an error's type, message and stack in the line", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger('test', 'info', sink).error({ err: new TypeError('boom'), to: '971501234567' }, 'failed');
    const line = JSON.parse(lines[0]!);
    expect(line.err).toMatchObject({
      type: 'TypeError',
      message: 'boom',
      stack: expect.stringContaining('TypeError: boom'),
    });
    expect(line.to).toBe('9715****4567');
  });
});

describe('lazyRequestLoggers', () => {
  it("writes a request's lines with its reqId, and only those of enabled levels", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const logger: FastifyBaseLogger = createLogger('test', 'info', sink);
    const app = Fastify({
      loggerInstance: logger,
      childLoggerFactory: lazyRequestLoggers,
      logController: new LogController({ disableRequestLogging: true }),
    });
    app.get('/quiet', async (request) => {
      request.log.debug({ step: 1 }, 'not at info');
      return { level: request.log.level };
    });
    app.get('/loud', async (request) => {
      request.log.warn({ from: '971501234567' }, 'warned %s', 'once');
      request.log.child({ step: 2 }).info('from a child');
      return {};
    });
    expect((await app.inject({ url: '/quiet' })).json()).toEqual({ level: 'info' });
    expect(lines).toEqual([]);
    await app.inject({ url: '/loud' });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        reqId: expect.any(String),
        from: '9715****4567',
        msg: 'warned once',
      }),
      expect.objectContaining({ level: 30, reqId: lines[0]?.reqId, step: 2, msg: 'from a child' }),
    ]);
    await app.close();
  });
});

describe('fastifyTracing', () => {
  const pluginsOf = async (disabled: boolean) => {
    const before = process.env.OTEL_SDK_DISABLED;
    process.env.OTEL_SDK_DISABLED = disabled ? 'true' : 'false';
    try {
      const app = Fastify();
      app.register(fastifyTracing());
      await app.ready();
      const plugins = app.printPlugins();
      await app.close();
      return plugins;
    } finally {
      if (before === undefined) delete process.env.OTEL_SDK_DISABLED;
      else process.env.OTEL_SDK_DISABLED = before;
    }
  };

  it('hooks @fastify/otel into every request while tracing is on, and nothing when OTEL_SDK_DISABLED=true', async () => {
    expect(await pluginsOf(false)).toContain('@fastify/otel');
    expect(await pluginsOf(true)).not.toContain('@fastify/otel');
  });
});
