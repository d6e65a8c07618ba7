import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Asks for HTTP basic-auth `credentials` on every path under `prefixes` (401 with
 * WWW-Authenticate until they are given); other paths are untouched.
 */
export function requireBasicAuth(fastify: FastifyInstance, prefixes: string[], credentials: { user: string; password: string }): void {
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const path = request.url.split('?')[0];
    if (!prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return done();
    const given = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    const decoded = given ? Buffer.from(given[1], 'base64') : Buffer.alloc(0);
    if (decoded.length === expected.length && timingSafeEqual(decoded, expected)) return done();
    reply.code(401).header('www-authenticate', 'Basic realm="admin", charset="UTF-8"').send({ error: 'unauthorized', message: 'these pages need the admin credentials' });
  });
}
