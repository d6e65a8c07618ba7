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

/**
 * Counts attempts (logins, say) per client address in a fixed one-minute window. An attempt is
 * counted before it is judged, so that guesses sent in parallel cannot all pass a check made
 * before any of them was counted; a successful one is given back.
 */
export interface AttemptCounter {
  /** Counts an attempt of `request`'s address; returns 0 when it may go on, else the seconds it must wait. */
  take(request: FastifyRequest): Promise<number>;
  /** Gives back an attempt that succeeded: only failures use up the minute. */
  giveBack(request: FastifyRequest): Promise<void>;
}

/**
 * Registers @fastify/rate-limit on `fastify` with counters in Redis, and an onRequest hook that
 * applies each @RateLimited route's group limit. A Redis that does not answer lets requests
 * through (a payment matters more than its count): the limits are a brake on abuse, not a lock.
 * Returns the login attempt counter the admin pages use.
 */
export async function installRateLimits(fastify: FastifyInstance, limits: RateLimits): Promise<AttemptCounter> {
  const redis = limits.redisUrl
    ? // A Redis that hangs must not hang the requests it counts: each command has 200 ms.
      new Redis(limits.redisUrl, { connectTimeout: 500, commandTimeout: 200, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
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

  return attemptCounter(redis, `${limits.keyPrefix}:rate-limit:login:`, FAILED_LOGINS_PER_MINUTE);
}

/**
 * An AttemptCounter in Redis (INCR, and the window's expiry set by the first attempt), or in this
 * process without one. A Redis that does not answer lets attempts through, as the other limits do.
 */
function attemptCounter(redis: Redis | undefined, prefix: string, max: number): AttemptCounter {
  const local = new Map<string, { count: number; until: number }>();
  const key = (request: FastifyRequest) => `${prefix}${clientKey(request.ip)}`;
  return {
    async take(request) {
      if (!redis) {
        const now = Date.now();
        const entry = local.get(key(request));
        const window = entry && entry.until > now ? entry : { count: 0, until: now + MINUTE_MS };
        window.count += 1;
        local.set(key(request), window);
        return window.count > max ? Math.ceil((window.until - now) / 1000) : 0;
      }
      try {
        const [count, ttl] = (await redis.eval(TAKE_ATTEMPT, 1, key(request), String(MINUTE_MS))) as [number, number];
        return count > max ? Math.ceil(ttl / 1000) : 0;
      } catch {
        return 0;
      }
    },
    async giveBack(request) {
      if (!redis) {
        const entry = local.get(key(request));
        if (entry) entry.count = Math.max(0, entry.count - 1);
        return;
      }
      await redis.eval(GIVE_BACK_ATTEMPT, 1, key(request)).catch(() => undefined);
    },
  };
}

/** Counts one attempt; returns the count and the window's milliseconds left. */
const TAKE_ATTEMPT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** Gives an attempt back, never below zero, keeping the window's expiry. */
const GIVE_BACK_ATTEMPT = `if (tonumber(redis.call('GET', KEYS[1]) or '0') > 0) then redis.call('DECR', KEYS[1]) end
return 0`;

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
