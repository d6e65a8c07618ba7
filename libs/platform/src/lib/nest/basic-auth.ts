import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUnder } from './guarded-paths';
import { AttemptCounter, tooManyRequests } from './rate-limits';

/**
 * Asks for HTTP basic-auth `credentials` on every path under `prefixes` (401 with
 * WWW-Authenticate until they are given); other paths are untouched. With `attempts`, each
 * request that brings credentials is counted before they are checked, and a right one is given
 * back: an address that got them wrong FAILED_LOGINS_PER_MINUTE times is refused with 429 until
 * its minute is over, right credentials or not, and guesses sent all at once are counted too.
 */
export function requireBasicAuth(
  fastify: FastifyInstance,
  prefixes: string[],
  credentials: { user: string; password: string },
  attempts?: AttemptCounter,
): void {
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`);
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isUnder(request, prefixes)) return;
    // Asking without credentials is how a browser starts: it is no attempt.
    if (request.headers.authorization !== undefined) {
      const waitSeconds = (await attempts?.take(request)) ?? 0;
      if (waitSeconds > 0) return tooManyRequests(reply, waitSeconds);
    }
    const given = /^Basic ([A-Za-z0-9+/=]+)$/.exec(request.headers.authorization ?? '');
    const decoded = given ? Buffer.from(given[1], 'base64') : Buffer.alloc(0);
    if (decoded.length === expected.length && timingSafeEqual(decoded, expected)) {
      await attempts?.giveBack(request);
      return;
    }
    return reply
      .code(401)
      .header('www-authenticate', 'Basic realm="admin", charset="UTF-8"')
      .send({ error: { code: 'unauthenticated', message: 'these pages need the admin credentials' } });
  });
}

/**
 * Refuses every method but GET and HEAD under `prefix` with 405: pages that show, never act,
 * whatever the code behind them would allow.
 */
export function readOnlyUnder(fastify: FastifyInstance, prefix: string): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !isUnder(request, [prefix])) return done();
    reply
      .code(405)
      .header('allow', 'GET, HEAD')
      .send({ error: { code: 'method_not_allowed', message: 'the queue dashboard is read-only: retry dead letters with the signed admin API' } });
  });
}
