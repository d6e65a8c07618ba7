import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * The URL of a test database, as the test runner (tools/test/run.mjs) created it.
 * Its name always contains `test`: the runner refuses any other.
 */
export function testDatabaseUrl(app: string): string {
  const variable = `TEST_${app.toUpperCase().replaceAll('-', '_')}_DATABASE_URL`;
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: run the tests with npm test`);
  return url;
}

/**
 * The Redis database the tests use, apart from the demo's and npm start's: TEST_REDIS_URL.
 * Tests share it and keep to key prefixes of their own ({@link uniquePrefix}); none flushes it.
 */
export function testRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
}

/** A Redis key prefix of its own for one test, so tests never see each other's queues. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${randomBytes(4).toString('hex')}`;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  // The kernel may hand the same ephemeral port to two binds in a row once the first is closed:
  // a process never gets one port twice from here, or two servers it starts could collide.
  for (;;) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}
const handedOut = new Set<number>();

/** Removes every Redis key under `prefix`: what a test leaves behind in its own namespace. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Deletes, in one atomic step, every key under each of `prefixes`: what a Redis that restarts
 * without persistence does to the apps that use those prefixes, without touching another test's
 * keys in the same database. Returns how many keys were lost.
 */
export async function loseRedisKeys(redisUrl: string, prefixes: string[]): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    // One script runs alone on the server: no job is added or moved between the match and the delete.
    const script = `
      local lost = 0
      for _, prefix in ipairs(ARGV) do
        local keys = redis.call('KEYS', prefix .. ':*')
        for i = 1, #keys, 1000 do
          lost = lost + redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
        end
      end
      return lost`;
    return Number(await redis.eval(script, 0, ...prefixes));
  } finally {
    redis.disconnect();
  }
}

/**
 * The HTTP edge of apps started in tests (the HttpEdge of @onebip/platform): production's
 * timeouts and connection cap, no trusted proxy, /metrics on the service port.
 */
export const TEST_EDGE = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1024,
  trustedProxies: [] as string[],
  metrics: { onServicePort: true },
};

/** The shared secret services hold in tests (X-Authentication). */
export const TEST_SECRET = 'test-secret-0123456789abcdef-0123456789';

/**
 * A database of its own for one app under test, named `<app>_test_<random>`: billing's outbox
 * sweep picks up every pending message in its database, so two billings sharing one would
 * deliver each other's messages. The app creates and migrates it at boot; `drop()` removes it.
 */
export function scratchDatabase(app: string): { url: string; drop(): Promise<void> } {
  const shared = new URL(testDatabaseUrl(app));
  const name = `${app}_test_${randomBytes(4).toString('hex')}`;
  const url = new URL(shared);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const { Client } = await import('pg');
      const client = new Client({ connectionString: maintenanceDatabaseUrl(shared) });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The server's maintenance database, where databases are created and dropped: TEST_POSTGRES_URL's. */
function maintenanceDatabaseUrl(sameServerAs: URL): string {
  if (process.env.TEST_POSTGRES_URL) return process.env.TEST_POSTGRES_URL;
  const maintenance = new URL(sameServerAs);
  maintenance.pathname = '/postgres';
  return maintenance.toString();
}
