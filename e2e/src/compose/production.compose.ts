import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { signedFetch } from '@onebip/messaging';
import { ComposeProject, get, steps } from './compose-project';
import { APPS, BILLING, CONNECTIVITY, billingMessage, pay, stopAppsAndReadExitCodes, storedAtConnectivity, uids, waitDelivered } from './stack-checks';

/**
 * The image's production target in production settings: docker-compose.yml with docker-compose.production.yml
 * over it, the secrets given in the environment as the file demands, driven over the published
 * ports. Run by `npm run test:compose` (tools/test/compose.mjs).
 */
const secret = randomBytes(32).toString('hex');
const project = new ComposeProject('onebip-compose-test-prod', 'production', {
  MESSAGING_SECRETS: secret,
  POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  REDIS_PASSWORD: randomBytes(24).toString('hex'),
});
const log = (line: string) => console.log(`[compose production] ${line}`);
const step = steps();
const SERVICES = [...APPS, 'carrier'];

after(() => project.down());

describe('docker compose -f docker-compose.yml -f docker-compose.production.yml up: production settings, run for real', () => {
  step('refuses to start without the secrets it demands, naming them', 60_000, async () => {
    // Whatever this shell exports: the test is of the files, not of the environment it runs in.
    const bare = new ComposeProject('onebip-compose-test-prod', 'production', {
      MESSAGING_SECRETS: undefined,
      POSTGRES_PASSWORD: undefined,
      REDIS_PASSWORD: undefined,
    });
    const refused = await bare.compose(['config', '-q'], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /set (MESSAGING_SECRETS|POSTGRES_PASSWORD|REDIS_PASSWORD)/);
  });

  step('builds and starts with `up -d --build`, every container healthy', 20 * 60_000, async () => {
    await project.down();
    log(project.commandLine(['up', '-d', '--build']));
    await project.compose(['up', '-d', '--build'], { timeoutMs: 20 * 60_000 });
    await project.waitUntil('healthy', ['postgres', 'redis', ...SERVICES], 4 * 60_000);
  });

  step('takes a payment and delivers its message through the carrier service, with the delivery report', 2 * 60_000, async () => {
    const message = await pay();
    await waitDelivered([message], 90_000);
    assert.equal((await billingMessage(message)).lastAttempt, 'HTTP 202');
    assert.deepEqual(await storedAtConnectivity(project, [message]), { rows: 1, messages: 1 });
  });

  step('serves no demo equipment: the console, the dashboards, the chaos switches and the carrier routes answer 404', 60_000, async () => {
    const answers = {
      'billing GET /demo': (await get(`${BILLING}/demo`)).status,
      'billing GET /admin/queues': (await get(`${BILLING}/admin/queues`)).status,
      'connectivity GET /admin/queues': (await get(`${CONNECTIVITY}/admin/queues`)).status,
      // Signed, as the console's calls would be: absent, not merely refused.
      'connectivity PUT /admin/chaos': (
        await signedFetch(`${CONNECTIVITY}/admin/chaos`, [secret], { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"down":true}' })
      ).status,
      'connectivity POST /simulated-carrier/sms': (
        await get(`${CONNECTIVITY}/simulated-carrier/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      ).status,
    };
    log(`answers: ${JSON.stringify(answers)}`);
    for (const [route, status] of Object.entries(answers)) assert.equal(status, 404, route);
  });

  step('runs billing and connectivity from the production image, which carries no demo build at all', 60_000, async () => {
    for (const service of APPS) {
      const listing = await project.exec(service, ['ls', '/app/dist']);
      assert.equal(listing.code, 0, `${service}: ls /app/dist`);
      assert.deepEqual(listing.stdout.trim().split(/\s+/), ['apps'], `${service}: /app/dist holds ${listing.stdout.trim()}`);
    }
    log('billing, billing-worker, connectivity: /app/dist holds apps/ alone (no demo/)');
  });

  step('runs the apps read-only, with a writable /tmp, as an unprivileged user', 60_000, async () => {
    for (const service of SERVICES) {
      const [container] = await project.containers(service);
      assert.equal(await project.inspect(container, '{{.HostConfig.ReadonlyRootfs}}'), 'true', service);
      // The home of the user the app runs as: writable but for the read-only root filesystem.
      assert.notEqual((await project.exec(service, ['touch', '/home/node/written'])).code, 0, `${service} could write to its root filesystem`);
      assert.equal((await project.exec(service, ['touch', '/tmp/written'])).code, 0, `${service} cannot write to /tmp`);
    }
    const found = await uids(project, SERVICES);
    for (const [service, uid] of Object.entries(found)) assert.notEqual(uid, '0', `${service} runs as root`);
  });

  step('asks for the password: PostgreSQL refuses a login over TCP without it', 60_000, async () => {
    const refused = await project.exec('postgres', [
      'env',
      '-u',
      'PGPASSWORD',
      'psql',
      '-h',
      '127.0.0.1',
      '-p',
      '5432',
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-w',
      '-Atqc',
      'SELECT',
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /password/);
  });

  step('asks for the password: Redis refuses a command without it, and takes one with it', 60_000, async () => {
    const refused = await project.exec('redis', ['env', '-u', 'REDISCLI_AUTH', 'redis-cli', 'get', 'anything']);
    assert.match(`${refused.stdout}${refused.stderr}`, /NOAUTH/);
    const taken = await project.exec('redis', ['redis-cli', 'ping']);
    assert.equal(taken.stdout.trim(), 'PONG');
  });

  step('serves /metrics on its own port inside the network, not on the published service port', 60_000, async () => {
    assert.equal((await get(`${BILLING}/metrics`)).status, 404, 'billing /metrics on the public port');
    assert.equal((await get(`${CONNECTIVITY}/metrics`)).status, 404, 'connectivity /metrics on the public port');
    for (const service of APPS) {
      // No spaces in the script: podman's API cuts exec arguments at them (../shared/compose/README.md).
      const scraped = await project.exec(service, [
        'node',
        '-e',
        'fetch("http://127.0.0.1:9464/metrics").then(async(r)=>console.log(r.status,(await(r.text())).length))',
      ]);
      assert.match(scraped.stdout, /^200 [1-9]/, `${service} serves metrics on 9464: ${scraped.stdout}${scraped.stderr}`);
    }
  });

  step('stops every app on SIGTERM with exit code 0', 3 * 60_000, async () => {
    const codes = await stopAppsAndReadExitCodes(project, SERVICES);
    log(`exit codes: ${JSON.stringify(codes)}`);
    assert.ok(Object.keys(codes).length >= SERVICES.length, 'every app container was found');
    for (const [container, code] of Object.entries(codes)) assert.equal(code, '0', `${container} exited ${code}`);
  });
});
