import type { FastifyRequest } from 'fastify';

/**
 * Whether `request` is for a path under one of `prefixes`, judged by the route Fastify matched
 * and by its decoded path, never by the raw URL alone: the router decodes `%61dmin`, so a check
 * must too. A path that does not decode counts as under every prefix.
 */
export function isUnder(request: FastifyRequest, prefixes: readonly string[]): boolean {
  const under = (path: string) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const path = decodedPath(request.url);
  return path === undefined || under(path) || under(request.routeOptions.url ?? '');
}

function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]);
  } catch {
    return undefined;
  }
}
