import { RouteConfig } from '@nestjs/platform-fastify';

/** Where @nestjs/platform-fastify keeps a handler's Fastify route config (its RouteConfig decorator). */
const ROUTE_CONFIG_METADATA = '__fastify_route_config__';

/**
 * Adds `entries` to a handler's Fastify route config, keeping what other decorators put there:
 * Nest's own RouteConfig replaces the whole object, so two marks on one route would lose one.
 */
export function addRouteConfig(entries: Record<string, unknown>, target: object, key: string | symbol, descriptor: PropertyDescriptor): void {
  const handler = descriptor.value as object;
  const existing = (Reflect.getMetadata(ROUTE_CONFIG_METADATA, handler) as Record<string, unknown> | undefined) ?? {};
  RouteConfig({ ...existing, ...entries })(target, key, descriptor);
}

/** The route config Fastify matched for a request (empty for a request no route matched). */
export function routeConfigOf(request: { routeOptions: { config?: unknown } }): Record<string, unknown> {
  return (request.routeOptions.config as Record<string, unknown> | undefined) ?? {};
}
