// The test runner behind `npm test`: finds PostgreSQL and Redis (and says how to start them
// when they are absent), creates this run's own test databases, runs the *.test.ts files with
// Node's own test runner, then drops the databases.
//
//   node tools/test/run.mjs [path-substring ...]          every test file, or those matching
//   node tools/test/run.mjs --unit [path-substring ...]   *.unit.test.ts only: no store needed
//   node tools/test/run.mjs model                         tools/test/model.test.ts, the SPIN model's checks (minutes,
//                                                         spin and gcc, no store): only when a filter names it, never in
//                                                         the default run (.ci/run runs it on its own)
//
// Two variables move every test to other stores, so that a suite can run beside another:
// TEST_POSTGRES_URL (a server; its path names the maintenance database) and TEST_REDIS_URL
// (a server and database; tests keep to key prefixes of their own and never flush it).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

const root = fileURLToPath(new URL('../..', import.meta.url));
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
// Names of this run's own: two runs against one server never drop each other's databases.
const run = randomBytes(3).toString('hex');
const databases = testDatabaseNames(run);

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS =
  'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log';

/**
 * One database for each app under apps/, `<app>_test_run_<run>` (`-` as `_`), given to the tests
 * as TEST_<APP>_DATABASE_URL: an app made by `npm run new:service` has one with no edit here.
 */
function testDatabaseNames(run) {
  const apps = readdirSync(join(root, 'apps'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
  return Object.fromEntries(apps.map(({ name }) => [name, `${name.replaceAll('-', '_')}_test_run_${run}`]));
}

function databaseVariable(app) {
  return `TEST_${app.toUpperCase().replaceAll('-', '_')}_DATABASE_URL`;
}

async function connectPostgres() {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return client;
  } catch (error) {
    fail(
      `PostgreSQL is not reachable at ${redact(postgresUrl)} (${error.message}).\nStart it with:\n  ${START_POSTGRES}\nor point TEST_POSTGRES_URL at a running server.`,
    );
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    fail(`Redis is not reachable at ${redact(redisUrl)} (${error.message}).\nStart it with:\n  ${START_REDIS}\nor point TEST_REDIS_URL at a running server.`);
  } finally {
    redis.disconnect();
  }
}

async function createTestDatabases() {
  const client = await connectPostgres();
  try {
    for (const name of Object.values(databases)) {
      // A guard against pointing the suite at real data: test databases are dropped after the run.
      if (!name.includes('test')) fail(`refusing to use database ${name}: its name does not contain "test"`);
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
}

async function dropTestDatabases() {
  const client = await connectPostgres();
  try {
    for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
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

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function fail(message) {
  console.error(`\n${message}\n`);
  process.exit(1);
}

const argv = process.argv.slice(2);
const unitOnly = argv.includes('--unit');
const filters = argv.filter((argument) => argument !== '--unit');
/** Test files that run only when a filter names them, and need no store. */
const ON_REQUEST = new Set(['tools/test/model.test.ts']);
const files = ['libs', 'apps', 'e2e', 'bench', 'tools']
  .flatMap((dir) => findTests(join(root, dir)))
  .filter((file) => !unitOnly || file.endsWith('.unit.test.ts'))
  .filter((file) => (filters.length === 0 ? !ON_REQUEST.has(file) : filters.some((filter) => file.includes(filter))))
  .sort((a, b) => Number(a.startsWith('e2e')) - Number(b.startsWith('e2e')) || a.localeCompare(b));
if (files.length === 0) fail(`no ${unitOnly ? 'unit ' : ''}test file matches ${filters.join(' ') || 'the project'}`);

const env = { ...process.env, NODE_ENV: 'test' };
const needsStores = !unitOnly && !files.every((file) => ON_REQUEST.has(file));
if (needsStores) {
  await checkRedis();
  await createTestDatabases();
  const databaseUrl = (name) => {
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  Object.assign(env, {
    TEST_POSTGRES_URL: postgresUrl,
    TEST_REDIS_URL: redisUrl,
    // TEST_BILLING_DATABASE_URL, TEST_CONNECTIVITY_DATABASE_URL and one for each further app.
    ...Object.fromEntries(Object.entries(databases).map(([app, name]) => [databaseVariable(app), databaseUrl(name)])),
  });
}

const args = [
  '--require',
  join(root, 'tools/test/register.js'),
  '--test',
  '--test-reporter=spec',
  // A test that does more (the chaos suite) sets its own, larger timeout from what it does.
  `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300_000}`,
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
  ...files,
];
console.log(
  !needsStores
    ? `running ${files.length} ${unitOnly ? 'unit ' : ''}test files (no store needed) on Node.js ${process.version}`
    : `running ${files.length} test files on Node.js ${process.version} against ${redact(postgresUrl).replace(/\/[^/]*$/, '')} and ${redact(redisUrl)}`,
);
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
// Ctrl-C reaches the test runner through the terminal; the databases go once it has stopped.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
if (needsStores) await dropTestDatabases();
process.exit(code);
