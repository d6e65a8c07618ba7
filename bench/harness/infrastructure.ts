import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { BenchSettings } from './settings';

const BUILT_APPS = ['dist/apps/billing/main.js', 'dist/apps/connectivity/main.js'];

/**
 * What the bench needs before it starts anything: the built apps, PostgreSQL and Redis. Returns
 * what is missing and how to get it, or nothing when all is there.
 */
export async function missingInfrastructure(settings: BenchSettings): Promise<string[]> {
  const missing = BUILT_APPS.filter((path) => !existsSync(path)).map((path) => `${path} is not built: run npm run bench, which builds it`);
  const maintenance = new URL(settings.postgresUrl);
  maintenance.pathname = '/postgres';
  const postgres = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 3000 });
  try {
    await postgres.connect();
  } catch (error) {
    missing.push(`PostgreSQL does not answer at ${settings.postgresUrl} (${(error as Error).message}): start it (README.md) or set BENCH_POSTGRES_URL`);
  } finally {
    await postgres.end().catch(() => undefined);
  }
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    missing.push(`Redis does not answer at ${settings.redisUrl} (${(error as Error).message}): start it (README.md) or set BENCH_REDIS_URL`);
  } finally {
    redis.disconnect();
  }
  return missing;
}
