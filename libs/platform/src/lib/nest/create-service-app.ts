import { ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppError } from '../errors/app-error';
import { AppErrorFilter } from '../errors/app-error.filter';

export interface ServiceAppOptions {
  /** Largest accepted request body, in bytes (413 beyond). */
  bodyLimitBytes?: number;
  /** Nest's own logger; false in tests that want quiet output. */
  logger?: false | undefined;
}

/**
 * A NestJS app on Fastify, set up the same way in every service: JSON bodies only (415 for
 * any other type), the raw body kept for signature checks, DTO validation that names every
 * field at fault, one error filter, and shutdown hooks that exit 0 on SIGTERM.
 */
export async function createServiceApp(module: unknown, options: ServiceAppOptions = {}): Promise<NestFastifyApplication> {
  const bodyLimit = options.bodyLimitBytes ?? 64 * 1024;
  const adapter = new FastifyAdapter({ bodyLimit });
  // The services speak JSON only: Fastify's text/plain parser goes, and Nest's default parsers
  // (JSON and form-urlencoded) are replaced by a JSON one, so any other type answers 415.
  adapter.getInstance().removeContentTypeParser(['text/plain']);
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    bodyParser: false,
    rawBody: true,
    logger: options.logger === false ? false : undefined,
    abortOnError: false,
  });
  app.useBodyParser('application/json', { bodyLimit });
  app.useGlobalFilters(new AppErrorFilter());
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}

/** Validates DTOs; a violation answers 400 with every field at fault and what is wrong with it. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    exceptionFactory: (errors: ValidationError[]) => AppError.invalid(fieldProblems(errors)),
  });
}

function fieldProblems(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const name = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields[name] = Object.values(error.constraints);
    Object.assign(fields, fieldProblems(error.children ?? [], name));
  }
  return fields;
}

