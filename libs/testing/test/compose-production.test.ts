import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRODUCTION_STAND_INS, composeService, composeServiceEnvironment, ensureDockerCompose, runDockerCompose, workspaceRoot } from '../src';

describe('docker-compose.production.yml over docker-compose.yml', () => {
  for (const missing of Object.keys(PRODUCTION_STAND_INS)) {
    it(`refuses to start without ${missing}, naming it`, async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const env = Object.fromEntries(Object.entries(PRODUCTION_STAND_INS).filter(([name]) => name !== missing));
      await assert.rejects(runDockerCompose(['config', '-q'], 'production', env), new RegExp(`set ${missing}`));
    });
  }

  it('gives PostgreSQL a password instead of trusting every connection, and the apps log in with it', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const postgres = await composeServiceEnvironment('postgres', 'production');
    assert.equal(postgres.POSTGRES_HOST_AUTH_METHOD, 'scram-sha-256');
    assert.equal(postgres.POSTGRES_PASSWORD, PRODUCTION_STAND_INS.POSTGRES_PASSWORD);
    for (const app of ['billing', 'billing-worker', 'connectivity']) {
      const database = new URL((await composeServiceEnvironment(app, 'production')).DATABASE_URL);
      assert.equal(decodeURIComponent(database.password), PRODUCTION_STAND_INS.POSTGRES_PASSWORD, app);
    }
    const { healthcheck, entrypoint } = (await composeService('postgres', 'production')) as { healthcheck?: { test?: string[] }; entrypoint?: string[] };
    assert.deepEqual(entrypoint, ['postgres-entrypoint.sh'], 'sets the password on every start, not only on an empty volume');
    assert.ok(healthcheck?.test?.includes('psql'), 'healthy once a password login works, not merely once the port answers');
  });

  it('gives Redis a password (on standard input, not the command line), and the apps connect with it', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const redis = (await composeService('redis', 'production')) as { command?: string[] };
    assert.equal(redis.command?.[0], 'redis-server-with-password.sh');
    assert.ok(!redis.command?.some((part) => part.includes(PRODUCTION_STAND_INS.REDIS_PASSWORD)), 'the password is on no command line');
    const environment = await composeServiceEnvironment('redis', 'production');
    assert.equal(environment.REDIS_PASSWORD, PRODUCTION_STAND_INS.REDIS_PASSWORD);
    assert.equal(environment.REDISCLI_AUTH, PRODUCTION_STAND_INS.REDIS_PASSWORD, 'the healthcheck’s redis-cli logs in');
    for (const app of ['billing', 'billing-worker', 'connectivity']) {
      const url = new URL((await composeServiceEnvironment(app, 'production')).REDIS_URL);
      assert.equal(decodeURIComponent(url.password), PRODUCTION_STAND_INS.REDIS_PASSWORD, app);
    }
  });

  it('turns off, explicitly, every piece of demo equipment the development file turns on', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    for (const app of ['billing', 'billing-worker', 'connectivity']) {
      const env = await composeServiceEnvironment(app, 'production');
      assert.equal(env.NODE_ENV, 'production', app);
      assert.equal(env.ADMIN_UI_ENABLED, 'false', app);
      assert.notEqual(env.MESSAGING_SECRETS, 'compose-local-secret-not-for-deployment', app);
      // The production build, from the image's production target: no console, no chaos switches.
      const service = await composeService(app, 'production');
      assert.match(String(service.command), /^node dist\/apps\/[a-z-]+\/main\.js$/, app);
      assert.deepEqual(service.build, { context: workspaceRoot(), target: 'production' }, app);
      const development = await composeService(app);
      assert.match(String(development.command), /^node dist\/demo\//, `${app} runs its demo build in development`);
    }
  });
});
