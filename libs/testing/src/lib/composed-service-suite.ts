import assert from 'node:assert/strict';
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
} from './compose-file';

type ConfigReader = (env: Record<string, string | undefined>) => unknown;

/**
 * The checks every app's service in docker-compose.yml must pass, and every app's variables in
 * .env.example: registered as tests under `describe` blocks named for the service.
 * Returns nothing; app-specific checks go in the app's own test file beside the call.
 */
export function describeComposedService(service: string, readConfig: ConfigReader): void {
  describe(`${service} in docker-compose.yml`, () => {
    it('is in a file docker-compose accepts', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      await validateComposeFile();
    });

    it('gets an environment its configuration accepts, in the image (production) run as the demo (development)', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      assert.equal(dockerfileEnvironment().NODE_ENV, 'production', 'the image defaults to production');
      const env = await composeContainerEnvironment(service);
      assert.equal(env.NODE_ENV, 'development', 'compose is the demo stack: console, dashboards and chaos switches on');
      assert.doesNotThrow(() => readConfig(env));
    });

    it(`gets only variables ${service} reads`, async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const env = await composeServiceEnvironment(service);
      const read = readVariablesUsed(readConfig, await composeContainerEnvironment(service));
      const unread = Object.keys(env).filter((name) => !read.includes(name));
      assert.deepEqual(unread, [], `compose sets ${unread.join(', ')}, which ${service} never reads (it reads ${read.join(', ')})`);
    });

    it('listens on all interfaces in its container, published on the host loopback only, on the port it probes', async (t) => {
      if (!(await ensureDockerCompose(t))) return;
      const { PORT, HOST } = await composeServiceEnvironment(service);
      assert.equal(HOST, '0.0.0.0');
      const port = Number(PORT);
      // The demo stack's admin pages ask for no credentials: only this machine may reach them.
      assert.deepEqual(await composeServicePorts(service), [{ hostIp: '127.0.0.1', published: port, target: port }]);
      const { healthcheck } = await composeService(service);
      assert.match([healthcheck?.test ?? []].flat().join(' '), new RegExp(`//127\\.0\\.0\\.1:${port}/`));
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
