import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  composeContainerEnvironment,
  composeService,
  composeServiceEnvironment,
  composeServicePorts,
  describeComposedService,
  ensureDockerCompose,
} from '@onebip/testing';
import { readBillingConfig } from '../src/config/billing-config';

describeComposedService('billing', readBillingConfig);

describe('billing in docker-compose.yml, beyond the common checks', () => {
  it('reaches postgres, redis and connectivity by their service names, and is reached as billing', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const env = await composeServiceEnvironment('billing');
    const connectivity = await composeServiceEnvironment('connectivity');
    // Unset, each would default to 127.0.0.1: billing's own container.
    const urlOf = (name: string) => {
      assert.ok(env[name], `compose sets no ${name} for billing`);
      return new URL(env[name]);
    };
    const database = urlOf('DATABASE_URL');
    assert.equal(database.hostname, 'postgres');
    assert.equal(database.pathname, '/billing');
    assert.equal(urlOf('REDIS_URL').hostname, 'redis');
    const connectivityUrl = urlOf('CONNECTIVITY_URL');
    assert.equal(connectivityUrl.hostname, 'connectivity');
    assert.equal(connectivityUrl.port, connectivity.PORT);
    const publicUrl = urlOf('BILLING_PUBLIC_URL');
    assert.equal(publicUrl.hostname, 'billing');
    assert.equal(publicUrl.port, env.PORT);
  });

  it('signs its requests with a secret connectivity accepts', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const secretsOf = (env: Record<string, string>) => (env.MESSAGING_SECRETS ?? '').split(',').map((secret) => secret.trim());
    const accepted = secretsOf(await composeContainerEnvironment('connectivity'));
    const signing = secretsOf(await composeContainerEnvironment('billing'));
    assert.ok(
      signing.some((secret) => accepted.includes(secret)),
      'billing and connectivity share no MESSAGING_SECRETS',
    );
  });

  it('waits for healthy postgres and redis, but only for connectivity to start', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const { depends_on = {} } = await composeService('billing');
    // The list form means service_started for all, which is not enough for postgres and redis.
    assert.ok(!Array.isArray(depends_on), 'depends_on must name a condition for each service');
    const conditions = Object.fromEntries(Object.entries(depends_on).map(([service, { condition }]) => [service, condition]));
    assert.deepEqual(conditions, { postgres: 'service_healthy', redis: 'service_healthy', connectivity: 'service_started' });
  });

  it('keeps its queue in a redis that persists and never evicts', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const { command = [] } = await composeService('redis');
    const args = (Array.isArray(command) ? command : command.split(/\s+/)).join(' ');
    assert.match(args, /(^| )--appendonly yes( |$)/);
    assert.match(args, /(^| )--maxmemory-policy noeviction( |$)/);
  });

  for (const variant of ['development', 'production'] as const) {
    it(`runs the API as billing and deliveries as billing-worker: the same image and environment, no published port (${variant})`, async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const api = await composeServiceEnvironment('billing', variant);
      const worker = await composeServiceEnvironment('billing-worker', variant);
      assert.equal(api.APP_ROLE, 'api');
      assert.equal(worker.APP_ROLE, 'worker');
      assert.deepEqual({ ...worker, APP_ROLE: 'api' }, api);
      const container = await composeContainerEnvironment('billing-worker', variant);
      assert.doesNotThrow(() => readBillingConfig(container));
      const [workerService, apiService] = [await composeService('billing-worker', variant), await composeService('billing', variant)];
      assert.equal(workerService.image, apiService.image);
      assert.deepEqual(workerService.healthcheck?.test, apiService.healthcheck?.test);
      assert.equal(workerService.read_only, apiService.read_only);
      assert.deepEqual(await composeServicePorts('billing-worker', variant), []);
    });
  }
});
