import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { addRouteConfig, routeConfigOf } from './route-config';

/** Failed admin logins (basic auth) an address may make per minute before it gets 429. */
export const FAILED_LOGINS_PER_MINUTE = 10;

const RATE_LIMIT_GROUP = 'rateLimitGroup';
const MINUTE_MS = 60_000;

/** Limits on what one client address may do, counted in Redis so that every replica shares them. */
export interface RateLimits {
  /** Redis holding the counters; without it each process counts on its own (tests). */
  redisUrl?: string;
  /** Prefix of the counters' keys (the app's queue prefix, say). */
  keyPrefix: string;
  /** Requests per minute per address for each group named by @RateLimited; 0 turns a group's limit off. */
  perMinute: Record<string, number>;
}

/**
 * Marks a route as counted in `group`'s limit (RateLimits.perMinute): over it, a client address
 * gets 429 with Retry-After until the minute is over.
 */
export function RateLimited(group: string): MethodDecorator {
  return (target, key, descriptor) => addRouteConfig({ [RATE_LIMIT_GROUP]: group }, target, key, descriptor);
}

/** Counts failed attempts (logins, say) per client address; a blocked address is refused before it tries again. */
export interface FailedAttempts {
  /** Seconds until `request`'s address may try again; 0 when it may now. */
  blockedFor(request: FastifyRequest): Promise<number>;
  recordFailure(request: FastifyRequest): Promise<void>;
}

/**
 * Registers @fastify/rate-limit on `fastify` with counters in Redis, and an onRequest hook that
 * applies each @RateLimited route's group limit. A Redis that does not answer lets requests
 * through (a payment matters more than its count): the limits are a brake on abuse, not a lock.
 * Returns the failed-login counter the admin pages use.
 */
export async function installRateLimits(fastify: FastifyInstance, limits: RateLimits): Promise<FailedAttempts> {
  const redis = limits.redisUrl
    ? new Redis(limits.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  redis?.on('error', () => undefined); // counted requests pass while Redis is away; ioredis reconnects by itself
  if (redis) fastify.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));
  await fastify.register(rateLimit, {
    global: false,
    skipOnError: true,
    nameSpace: `${limits.keyPrefix}:rate-limit:`,
    ...(redis ? { redis } : {}),
  });

  const groups = new Map<string, ReturnType<FastifyInstance['createRateLimit']>>();
  for (const [group, max] of Object.entries(limits.perMinute)) {
    if (max > 0) groups.set(group, fastify.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: (request) => `${group}:${clientKey(request.ip)}` }));
  }
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const group = routeConfigOf(request)[RATE_LIMIT_GROUP];
    const limiter = typeof group === 'string' ? groups.get(group) : undefined;
    if (!limiter) return;
    const status = await limiter(request);
    if (!status.isAllowed && status.isExceeded) return tooManyRequests(reply, status.ttlInSeconds);
  });

  const logins = fastify.createRateLimit({ max: FAILED_LOGINS_PER_MINUTE, timeWindow: MINUTE_MS, keyGenerator: (request) => `login:${clientKey(request.ip)}` });
  return {
    async blockedFor(request) {
      const status = await logins(request, { increment: false });
      return !status.isAllowed && status.remaining === 0 && status.ttlInSeconds > 0 ? status.ttlInSeconds : 0;
    },
    async recordFailure(request) {
      await logins(request);
    },
  };
}

/** Answers 429 with Retry-After and the services' error body. */
export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const seconds = Math.max(1, retryAfterSeconds);
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: { code: 'rate_limited', message: `too many requests from this address: try again in ${seconds} s` } });
}

/**
 * The counter key of a client address: the address itself for IPv4, its /64 network for IPv6
 * (one host usually holds a whole /64, and would otherwise get a fresh limit per address).
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
