import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRODUCTION_STAND_INS, composeService, composeServiceEnvironment, ensureDockerCompose, runDockerCompose } from '../src';

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

  it('turns off, explicitly, every piece of demo equipment the development file turns on', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    for (const app of ['billing', 'billing-worker', 'connectivity']) {
      const env = await composeServiceEnvironment(app, 'production');
      assert.equal(env.NODE_ENV, 'production', app);
      assert.equal(env.ADMIN_UI_ENABLED, 'false', app);
      assert.notEqual(env.MESSAGING_SECRETS, 'compose-local-secret-not-for-deployment', app);
    }
    const connectivity = await composeServiceEnvironment('connectivity', 'production');
    assert.equal(connectivity.CHAOS_ENABLED, 'false');
    assert.equal(connectivity.SIMULATED_CARRIER_ENABLED, 'false');
  });
});
