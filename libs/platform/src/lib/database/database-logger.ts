import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { redactUrls } from '../observability/redaction';

/**
 * TypeORM's log lines through the service logger (JSON, correlation ids), without the values:
 * a failed or slow query is logged with its SQL and error, never with its parameters, which hold
 * phone numbers and message texts. TypeORM's own loggers print them to stderr.
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  logQuery(): void {
    // Every query is too much for a log; slow and failed ones are below.
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[] | object): void {
    const { message, code } = typeof error === 'string' ? { message: error, code: undefined } : (error as Error & { code?: string });
    this.logger.error({ msg: `query failed: ${redactUrls(message)}`, code, query: compact(query), parameters: withheld(parameters) });
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[] | object): void {
    this.logger.warn({ msg: `slow query: ${time} ms`, durationMs: time, query: compact(query), parameters: withheld(parameters) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.log(String(message));
  }
}

/** The SQL on one line, cut at 500 characters: enough to find the statement in the code. */
function compact(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** How many values a statement had: the values themselves stay out of the log. */
function withheld(parameters: unknown[] | object | undefined): string {
  return `${Array.isArray(parameters) ? parameters.length : 0} withheld`;
}
