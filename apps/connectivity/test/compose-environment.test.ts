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
import { readConnectivityConfig } from '../src/config/connectivity-config';

describeComposedService('connectivity', readConnectivityConfig);

describe('connectivity in docker-compose.yml, beyond the common checks', () => {
  it('reaches its own database on postgres by the service name, once postgres is healthy', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const { DATABASE_URL } = await composeServiceEnvironment('connectivity');
    // Unset, it would default to 127.0.0.1: connectivity's own container.
    assert.ok(DATABASE_URL, 'compose sets no DATABASE_URL for connectivity');
    const database = new URL(DATABASE_URL);
    assert.equal(database.hostname, 'postgres');
    assert.equal(database.pathname, '/connectivity');
    const { depends_on = {} } = await composeService('connectivity');
    assert.ok(!Array.isArray(depends_on), 'depends_on must name a condition for postgres');
    assert.equal(depends_on.postgres?.condition, 'service_healthy');
  });

  it('in production runs the production image and sends SMS to the carrier service, a stand-in of its own from the demo image', async (t) => {
    if (!(await ensureDockerCompose(t))) return;
    const env = await composeContainerEnvironment('connectivity', 'production');
    const config = readConnectivityConfig(env);
    const gateway = new URL(config.smsGateway.url);
    assert.equal(gateway.hostname, 'carrier');
    const carrier = await composeService('carrier', 'production');
    const connectivity = await composeService('connectivity', 'production');
    assert.equal(connectivity.command, 'node dist/apps/connectivity/main.js');
    assert.equal(connectivity.image, 'onebip-http-messaging:production');
    assert.equal(carrier.image, 'onebip-http-messaging:demo');
    assert.equal(carrier.command, 'node dist/demo/simulated-carrier/main.js');
    const carrierEnv = await composeServiceEnvironment('carrier', 'production');
    assert.equal(carrierEnv.PORT, gateway.port);
    assert.deepEqual(carrier.healthcheck?.test, ['CMD', 'node', 'healthcheck.js']);
    assert.equal(carrier.read_only, true);
    assert.deepEqual(await composeServicePorts('carrier', 'production'), [], 'only connectivity reaches it');
  });
});
