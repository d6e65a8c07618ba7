// `npm run test:compose`: docker-compose.yml run for real, in development and production settings
// (e2e/src/compose/*.compose.ts). It needs a container engine that answers `docker info` at the
// DOCKER_HOST in the environment, and ports 3001 and 3002 free on 127.0.0.1 (the stack publishes
// them); it says what is missing and exits non-zero otherwise. It uses `docker compose` (v2) when
// the plugin exists, else `docker-compose`. On a machine without Docker, with podman:
//   eval "$(../shared/compose/engine.sh)"   (these machines), or podman's own Docker API socket.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const FILES = ['e2e/src/compose/development.compose.ts', 'e2e/src/compose/production.compose.ts'];
/** The test's own projects (-p) and their files: brought down before and after, whatever happened. */
const PROJECTS = [
  ['onebip-compose-test-dev', ['-f', 'docker-compose.yml']],
  ['onebip-compose-test-prod', ['-f', 'docker-compose.yml', '-f', 'docker-compose.production.yml']],
];

function run(command, args, env = process.env) {
  return new Promise((resolve) =>
    execFile(command, args, { timeout: 180_000, env }, (error, stdout, stderr) =>
      resolve({ ok: !error, missing: error?.code === 'ENOENT', output: `${stdout}${stderr}`.trim() }),
    ),
  );
}

function fail(message) {
  console.error(`\ntest:compose: ${message}\n`);
  process.exit(1);
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const info = await run('docker', ['info', '--format', '{{.ServerVersion}} ({{.OperatingSystem}})']);
if (info.missing) fail('needs the docker CLI and an engine it reaches (Docker, or podman with its Docker API: set DOCKER_HOST).');
if (!info.ok) {
  fail(
    `no container engine answers \`docker info\` at ${process.env.DOCKER_HOST ?? 'the default socket'}:\n  ${info.output.split('\n').slice(-3).join('\n  ')}\n` +
      'Start Docker, or podman (podman system service, then DOCKER_HOST=unix:///run/podman/podman.sock); on these machines: eval "$(../shared/compose/engine.sh)"',
  );
}
let compose;
if ((await run('docker', ['compose', 'version'])).ok) compose = ['docker', 'compose'];
else if ((await run('docker-compose', ['version'])).ok) compose = ['docker-compose'];
else fail('needs `docker compose` (the v2 plugin) or `docker-compose`.');

/** `down -v` for the test's projects: a run cut short by a signal leaves nothing behind for the next. */
async function downAll() {
  for (const [name, files] of PROJECTS) {
    const [command, ...prefix] = compose;
    // The production file demands its secrets even to go down: any value does for that.
    const env = { ...process.env, MESSAGING_SECRETS: 'x'.repeat(32), POSTGRES_PASSWORD: 'down', REDIS_PASSWORD: 'down' };
    await run(command, [...prefix, '-p', name, ...files, 'down', '-v', '--remove-orphans'], env);
  }
}
await downAll();

for (const port of [3001, 3002]) {
  if (!(await portFree(port)))
    fail(`port ${port} is taken on 127.0.0.1: the stack publishes billing on 3001 and connectivity on 3002. Stop what holds it first.`);
}

console.log(`engine ${info.output} at ${process.env.DOCKER_HOST ?? 'the default socket'}; compose: ${compose.join(' ')}`);
const child = spawn(
  process.execPath,
  ['--require', join(root, 'tools/test/register.js'), '--test', '--test-reporter=spec', '--test-concurrency=1', '--test-timeout=3600000', ...FILES],
  { cwd: root, env: { ...process.env, COMPOSE_COMMAND: JSON.stringify(compose) }, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', async (code, signal) => {
  await downAll();
  process.exit(code ?? (signal ? 1 : 0));
});
