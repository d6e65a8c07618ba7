import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  composeContainerEnvironment,
  composeService,
  composeServiceEnvironment,
  composeServicePorts,
  dockerfileEnvironment,
  ensureDockerCompose,
  envExampleVariables,
  readVariablesUsed,
  validateComposeFile,
  workspaceRoot,
} from './compose-file';

type ConfigReader = (env: Record<string, string | undefined>) => unknown;

/**
 * The checks every app's service in docker-compose.yml must pass, and every app's variables in
 * .env.example: registered as tests under `describe` blocks named for the service.
 * Returns nothing; app-specific checks go in the app's own test file beside the call.
 */
export function describeComposedService(service: string, readConfig: ConfigReader): void {
  describe(`${service} in docker-compose.yml`, () => {
    it('is in files docker-compose accepts, alone and with the production settings over them', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      await validateComposeFile('development');
      await validateComposeFile('production');
    });

    it('gets an environment its configuration accepts, in the image (production) run as the demo (development)', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      assert.equal(dockerfileEnvironment().NODE_ENV, 'production', 'the image defaults to production');
      const env = await composeContainerEnvironment(service);
      assert.equal(env.NODE_ENV, 'development', 'compose is the demo stack: console, dashboards and chaos switches on');
      assert.doesNotThrow(() => readConfig(env));
    });

    it('gets an environment its configuration accepts in production, once the secrets compose demands are given', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const env = await composeContainerEnvironment(service, 'production');
      assert.equal(env.NODE_ENV, 'production');
      assert.doesNotThrow(() => readConfig(env));
    });

    for (const variant of ['development', 'production'] as const) {
      it(`gets only variables ${service} reads (${variant})`, async (t) => {
        if (!(await ensureDockerCompose(t))) return;
        const env = await composeServiceEnvironment(service, variant);
        const read = readVariablesUsed(readConfig, await composeContainerEnvironment(service, variant));
        const unread = Object.keys(env).filter((name) => !read.includes(name));
        assert.deepEqual(unread, [], `compose sets ${unread.join(', ')}, which ${service} never reads (it reads ${read.join(', ')})`);
      });
    }

    it('listens on all interfaces in its container, published on the host loopback only', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const { PORT, HOST } = await composeServiceEnvironment(service);
      assert.equal(HOST, '0.0.0.0');
      const port = Number(PORT);
      // The demo stack's admin pages ask for no credentials: only this machine may reach them.
      assert.deepEqual(await composeServicePorts(service), [{ hostIp: '127.0.0.1', published: port, target: port }]);
      assert.deepEqual(await composeServicePorts(service, 'production'), [{ hostIp: '127.0.0.1', published: port, target: port }]);
    });

    it("is probed by the image's own health probe, with no argument that podman would cut at a space", async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      for (const variant of ['development', 'production'] as const) {
        const { healthcheck } = await composeService(service, variant);
        // tools/docker/healthcheck.js, copied into the image: GET /health/ready on 127.0.0.1:$PORT.
        assert.deepEqual(healthcheck?.test, ['CMD', 'node', 'healthcheck.js'], variant);
      }
      assert.match(readFileSync(join(workspaceRoot(), 'Dockerfile'), 'utf8'), /^COPY tools\/docker\/healthcheck\.js \.\/healthcheck\.js$/m);
    });

    it('runs read-only in production, with a tmpfs of its own on /tmp', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const { read_only, tmpfs } = await composeService(service, 'production');
      assert.equal(read_only, true);
      assert.ok([tmpfs ?? []].flat().includes('/tmp'), 'Docker adds no tmpfs under read_only by itself');
    });
  });

  describe(`${service} in .env.example`, () => {
    it(`documents every variable ${service} reads`, (t) => {
      // Read with an empty environment, the configuration warns about its development defaults.
      t.mock.method(console, 'warn', () => undefined);
      const documented = envExampleVariables();
      const undocumented = readVariablesUsed(readConfig, {}).filter((name) => !documented.includes(name));
      assert.deepEqual(undocumented, [], `.env.example does not document ${undocumented.join(', ')}`);
    });
  });
}
