// The test runner behind `npm test`: finds PostgreSQL and Redis (and says how to start them
// when they are absent), creates fresh test databases, then runs every *.test.ts file with
// Node's own test runner. Usage: node tools/test/run.mjs [path-substring ...]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

const root = fileURLToPath(new URL('../..', import.meta.url));
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const databases = { billing: 'billing_test', connectivity: 'connectivity_test' };

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

async function checkPostgres() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    fail(`PostgreSQL is not reachable at ${postgresUrl} (${error.message}).\nStart it with:\n  ${START_POSTGRES}\nor point TEST_POSTGRES_URL at a running server.`);
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`Redis is not reachable at ${redisUrl} (${error.message}).\nStart it with:\n  ${START_REDIS}\nor point TEST_REDIS_URL at a running server.`);
  } finally {
    redis.disconnect();
  }
}

async function recreateTestDatabases(client) {
  for (const name of Object.values(databases)) {
    // A guard against pointing the suite at real data: test databases are dropped on every run.
    if (!name.includes('test')) fail(`refusing to recreate database ${name}: its name does not contain "test"`);
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  }
}

function findTests(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findTests(path, found);
    else if (entry.name.endsWith('.test.ts')) found.push(relative(root, path));
  }
  return found;
}

function fail(message) {
  console.error(`\n${message}\n`);
  process.exit(1);
}

const filters = process.argv.slice(2);
const files = ['libs', 'apps', 'e2e']
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort((a, b) => Number(a.startsWith('e2e')) - Number(b.startsWith('e2e')) || a.localeCompare(b));
if (files.length === 0) fail(`no test file matches ${filters.join(' ')}`);

const client = await checkPostgres();
await checkRedis();
await recreateTestDatabases(client);
await client.end();

const databaseUrl = (name) => {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
const env = {
  ...process.env,
  NODE_ENV: 'test',
  TEST_REDIS_URL: redisUrl,
  TEST_BILLING_DATABASE_URL: databaseUrl(databases.billing),
  TEST_CONNECTIVITY_DATABASE_URL: databaseUrl(databases.connectivity),
};
const args = [
  '--require',
  join(root, 'tools/test/register.js'),
  '--test',
  '--test-reporter=spec',
  `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 120_000}`,
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
  ...files,
];
console.log(`running ${files.length} test files against ${postgresUrl.replace(/\/[^/]*$/, '')} and ${redisUrl}`);
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
