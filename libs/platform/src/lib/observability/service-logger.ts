import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino, LevelWithSilent } from 'pino';
import { currentCorrelationId } from './correlation';

export interface ServiceLoggerOptions {
  /** The service's name, on every line. */
  service: string;
  /** Lowest level written: trace, debug, info, warn, error, fatal or silent. */
  level?: LevelWithSilent;
  /** Where lines go (default: standard output). */
  destination?: NodeJS.WritableStream;
}

/**
 * Paths that never reach a log line whole: credentials of service-to-service calls and of the
 * admin pages. A line that carries headers shows them as [redacted].
 */
const REDACTED = ['headers["x-authentication"]', 'headers.authorization', 'req.headers["x-authentication"]', 'req.headers.authorization'];

/** A pino logger writing one JSON object per line, each with the current correlation id. */
export function createServiceLogger(options: ServiceLoggerOptions): Pino {
  const level = options.level ?? 'info';
  // A silent logger (tests) needs no stream, and no timer flushing one.
  const destination = options.destination ?? (level === 'silent' ? undefined : bufferedStandardOutput());
  return pino(
    {
      level,
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[redacted]' },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      hooks: {
        // Errors go out at once, with whatever was buffered before them: they are the lines that
        // explain a crash, and a hard crash (out of memory, SIGKILL) skips the flush at exit.
        logMethod(args, write, levelValue) {
          write.apply(this, args);
          if (levelValue >= pino.levels.values.error) flushNow(destination);
        },
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

function flushNow(destination: object | undefined): void {
  const stream = destination as { flushSync?: () => void } | undefined;
  try {
    stream?.flushSync?.();
  } catch {
    // A write already in flight: the buffer goes out with it.
  }
}

/** How long a line may wait in the buffer before it is written. */
const FLUSH_INTERVAL_MS = 100;

/**
 * Standard output, buffered: lines go out in one write when 8 KiB have gathered or every 100 ms,
 * instead of one system call per line (which cost a few per cent of a busy process here). pino
 * flushes what is left when the process exits.
 */
function bufferedStandardOutput() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  setInterval(() => destination.flush(), FLUSH_INTERVAL_MS).unref();
  return destination;
}

/**
 * Nest's LoggerService on pino: `new Logger('Context').log(...)` anywhere in the app writes a
 * JSON line with the context, the service and the correlation id of the request or job at hand.
 */
export class ServiceLogger implements LoggerService {
  constructor(readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes the context last, and for errors a stack before it. */
  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' && rest.length > 1 ? rest[0] : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = stack;
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...(message as object) });
    else this.pino[level](fields, String(message));
  }
}
