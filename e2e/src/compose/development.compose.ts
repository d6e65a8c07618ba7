import assert from 'node:assert/strict';
import { after, describe } from 'node:test';
import { ComposeProject, get, steps } from './compose-project';
import { APPS, BILLING, billingMessage, pay, stopAppsAndReadExitCodes, storedAtConnectivity, uids, waitDelivered } from './stack-checks';

/**
 * `docker compose up` as the README tells a user to run it (the demo: docker-compose.yml alone),
 * built, started and driven over the published ports; what the containers do is read from the
 * engine's CLI. Run by `npm run test:compose` (tools/test/compose.mjs), after `npm test` in CI.
 */
const project = new ComposeProject('onebip-compose-test-dev', 'development');
const log = (line: string) => console.log(`[compose development] ${line}`);
const step = steps();
const BURST = 120;

after(() => project.down());

describe('docker compose up: the demo stack, run for real', () => {
  step('builds the image from scratch', 20 * 60_000, async () => {
    await project.down();
    // Without the engine's cache, so the time is what a first build costs. The four app services
    // share one image (onebip-http-messaging:demo, the Dockerfile's demo target): building one builds it for all.
    log(project.commandLine(['build', '--no-cache', 'billing']));
    const started = Date.now();
    await project.compose(['build', '--no-cache', 'billing'], { timeoutMs: 20 * 60_000 });
    const seconds = (Date.now() - started) / 1000;
    const [image, base] = await Promise.all([
      project.engine(['image', 'inspect', '--format', '{{.Size}}', 'onebip-http-messaging:demo']),
      project.engine(['image', 'inspect', '--format', '{{.Size}}', 'node:24-bookworm-slim']),
    ]);
    const ownMb = (Number(image.stdout) - Number(base.stdout)) / 1e6;
    log(`built in ${seconds.toFixed(0)} s; the app's own layers (the image less node:24-bookworm-slim): ${ownMb.toFixed(0)} MB`);
    assert.ok(ownMb > 0);
  });

  step('starts with `up -d`, every container healthy', 5 * 60_000, async () => {
    log(project.commandLine(['up', '-d']));
    await project.compose(['up', '-d']);
    await project.waitUntil('healthy', ['postgres', 'redis', 'carrier', ...APPS], 4 * 60_000);
  });

  step('takes a payment and delivers its message, with the delivery report', 2 * 60_000, async () => {
    const message = await pay();
    await waitDelivered([message], 90_000);
    const delivered = await billingMessage(message);
    assert.equal(delivered.lastAttempt, 'HTTP 202');
  });

  let backlog: string[] = [];
  step('keeps taking payments while connectivity is stopped: 201, and the messages pending', 2 * 60_000, async () => {
    await project.compose(['stop', 'connectivity']);
    backlog = [];
    for (let payment = 0; payment < 5; payment += 1) backlog.push(await pay(100 + payment));
    const statuses = await Promise.all(backlog.map(async (path) => (await billingMessage(path)).status));
    assert.deepEqual(statuses, Array(5).fill('pending'));
  });

  step('drains the backlog by itself once connectivity is started again', 4 * 60_000, async () => {
    await project.compose(['start', 'connectivity']);
    // The retries back off exponentially from 5 s while connectivity is away: minutes at most.
    await waitDelivered(backlog, 3 * 60_000);
    assert.deepEqual(await storedAtConnectivity(project, backlog), { rows: 5, messages: 5 });
  });

  step(`shares a burst of ${BURST} payments among 3 workers (--scale billing-worker=3): each delivered, stored once`, 6 * 60_000, async () => {
    await project.compose(['up', '-d', '--scale', 'billing-worker=3']);
    await project.waitUntil('healthy', ['billing-worker'], 3 * 60_000);
    assert.equal((await project.containers('billing-worker')).length, 3);
    const burst: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (burst.length < BURST) {
          const index = burst.push('') - 1;
          burst[index] = await pay(index + 1);
        }
      }),
    );
    await waitDelivered(burst, 4 * 60_000);
    assert.deepEqual(await storedAtConnectivity(project, burst), { rows: BURST, messages: BURST });
    // Each worker's attempt lines are prefixed with its container: more than one took jobs.
    const attempted = new Set(
      (await project.logs('billing-worker'))
        .split('\n')
        .filter((line) => line.includes('"context":"RequestWorker"') && line.includes(' attempt '))
        .map((line) => line.split('|')[0].trim()),
    );
    log(`workers that made attempts: ${[...attempted].sort().join(', ')}`);
    assert.ok(attempted.size > 1, `only ${[...attempted].join(', ')} made attempts`);
  });

  step('serves the console and the queue dashboard', 60_000, async () => {
    const page = await get(`${BILLING}/demo`);
    assert.equal(page.status, 200);
    assert.match(page.type, /text\/html/);
    assert.match(page.text, /<script/);
    const dashboard = await get(`${BILLING}/admin/queues`);
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.type, /text\/html/);
  });

  step('runs every app as an unprivileged user', 60_000, async () => {
    const found = await uids(project, APPS);
    log(`uids: ${JSON.stringify(found)}`);
    for (const [service, uid] of Object.entries(found)) assert.notEqual(uid, '0', `${service} runs as root`);
  });

  step('reports an app unhealthy while PostgreSQL is stopped, and healthy again after', 5 * 60_000, async () => {
    await project.compose(['stop', 'postgres']);
    await project.waitUntil('unhealthy', ['billing', 'connectivity'], 2 * 60_000);
    log('billing and connectivity unhealthy with PostgreSQL stopped');
    await project.compose(['start', 'postgres']);
    await project.waitUntil('healthy', ['postgres', 'billing', 'connectivity'], 2 * 60_000);
    const message = await pay();
    await waitDelivered([message], 90_000);
  });

  step('stops every app on SIGTERM with exit code 0', 3 * 60_000, async () => {
    const codes = await stopAppsAndReadExitCodes(project, APPS);
    log(`exit codes: ${JSON.stringify(codes)}`);
    assert.ok(Object.keys(codes).length >= APPS.length);
    for (const [container, code] of Object.entries(codes)) assert.equal(code, '0', `${container} exited ${code}`);
  });
});
