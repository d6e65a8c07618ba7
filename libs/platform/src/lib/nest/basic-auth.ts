import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Asks for HTTP basic-auth `credentials` on every path under `prefixes` (401 with
 * WWW-Authenticate until they are given); other paths are untouched. A request is judged by the
 * route Fastify matched and by its decoded path, never by the raw URL alone: the router decodes
 * `%61dmin`, so the check must too.
 */
export function requireBasicAuth(fastify: FastifyInstance, prefixes: string[], credentials: { user: string; password: string }): void {
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`);
  const guarded = (path: string) => prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const path = decodedPath(request.url);
    if (path !== undefined && !guarded(path) && !guarded(request.routeOptions.url ?? '')) return done();
    const given = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    const decoded = given ? Buffer.from(given[1], 'base64') : Buffer.alloc(0);
    if (decoded.length === expected.length && timingSafeEqual(decoded, expected)) return done();
    reply
      .code(401)
      .header('www-authenticate', 'Basic realm="admin", charset="UTF-8"')
      .send({ error: 'unauthorized', message: 'these pages need the admin credentials' });
  });
}

/** The URL's path, percent-decoded; undefined when it does not decode (then it is treated as guarded). */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0]);
  } catch {
    return undefined;
  }
}
