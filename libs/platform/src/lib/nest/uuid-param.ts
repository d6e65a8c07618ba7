import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/**
 * The route parameter `name` (default `id`), which must be a UUID. Every resource here is named by
 * one, so anything else names nothing: 404 `not_found` without a query, as for an id that is
 * well formed but unknown (`@UuidParam() id: string`).
 */
export function UuidParam(name = 'id', resource = 'resource'): ParameterDecorator {
  return Param(name, new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(resource) }));
}
