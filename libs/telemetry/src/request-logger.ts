import type { FastifyBaseLogger } from 'fastify';
import { type Bindings, type ChildLoggerOptions, type Level, levels } from 'pino';

/**
 * A request's logger that makes its pino child (the request id bound) at its first line of an
 * enabled level. Fastify makes one per request with `logger.child({ reqId }, {})`, and pino builds
 * a child given an options object in full (formatters, serializers, level methods): work spent on
 * every webhook although one that is stored logs nothing at the info level.
 */
class RequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
  ) {}

  get level(): string {
    return (this.#child ?? this.parent).level;
  }

  set level(level: string) {
    this.bound().level = level;
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  silent(): void {
    // pino's silent level writes nothing.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.bound().child(bindings, options);
  }

  private write(level: Level, args: unknown[]): void {
    // pino's own levels (createLogger defines no others); 'silent' has no value and logs nothing.
    const threshold = levels.values[(this.#child ?? this.parent).level] ?? Number.POSITIVE_INFINITY;
    if (levels.values[level]! < threshold) return;
    const child = this.bound();
    // The arguments as the caller gave them (object, message, interpolation values): pino's
    // overloads cannot be named for a rest array.
    Reflect.apply(child[level], child, args);
  }

  private bound(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings);
    return this.#child;
  }
}

/**
 * Fastify's `childLoggerFactory` with request loggers bound lazily (RequestLogger). A route with a
 * log level or serializers of its own gets pino's child at once, as Fastify would make it.
 */
export function lazyRequestLoggers(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined)
    return logger.child(bindings, options);
  return new RequestLogger(logger, bindings);
}
