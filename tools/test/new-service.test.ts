import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';

/**
 * `npm run new:service` as a team would run it, in a copy of this workspace (its files as they
 * stand, node_modules linked): the service it makes must build, lint, type-check and pass its
 * own tests there with nothing edited by hand, and a taken or malformed name must be refused.
 */
describe('npm run new:service', () => {
  let workspace: string;

  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'new-service-'));
    // Tracked and new files alike, as in the working tree; the links to what is installed are not copied.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' }).split('\0');
    for (const file of files) {
      if (file === '' || /^(node_modules|\.node)(\/|$)/.test(file) || !existsSync(file)) continue;
      mkdirSync(dirname(join(workspace, file)), { recursive: true });
      copyFileSync(file, join(workspace, file));
    }
    symlinkSync(realpathSync('node_modules'), join(workspace, 'node_modules'));
  });

  after(() => {
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  /** Runs a command in the copy; resolves to its exit code and everything it printed. */
  function inWorkspace(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The project's Node.js first, whatever npm puts before it; no daemon or cache left behind.
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      NX_SKIP_NX_CACHE: 'true',
    };
    // The copy's own test run makes its own databases, one for each app it has.
    for (const name of Object.keys(env)) if (/^TEST_.+_DATABASE_URL$/.test(name)) delete env[name];
    // Set for the processes a test starts, it makes a test run inside them skip every file and pass.
    delete env.NODE_TEST_CONTEXT;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 150_000 });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  const nx = (...args: string[]) => inWorkspace(process.execPath, [join(workspace, 'node_modules/.bin/nx'), ...args]);
  const read = (file: string) => readFileSync(join(workspace, file), 'utf8');

  async function succeeds(step: Promise<{ code: number | null; output: string }>): Promise<void> {
    const { code, output } = await step;
    assert.equal(code, 0, output);
  }

  it('makes apps/notifications, with its boundary, compose service on the next free port, and README line', async () => {
    await succeeds(inWorkspace('npm', ['run', 'new:service', '--', 'notifications']));
    for (const file of [
      'project.json',
      'src/main.ts',
      'src/app.module.ts',
      'src/config/notifications-config.ts',
      'src/notifications-requests/notifications-requests.repository.ts',
      'src/migrations/index.ts',
      'test/notifications-config.unit.test.ts',
      'test/notifications-requests.e2e.test.ts',
    ]) {
      assert.ok(existsSync(join(workspace, 'apps/notifications', file)), file);
    }
    assert.match(read('eslint.config.mjs'), /\{ sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: \['scope:notifications', 'scope:shared'\] \}/);
    const service = parse(read('docker-compose.yml')).services.notifications;
    assert.equal(service.command, 'node dist/apps/notifications/main.js');
    assert.equal(service.environment.PORT, '3004', 'after billing 3001, connectivity 3002 and the carrier 3003');
    assert.match(read('README.md'), /^apps\/notifications +POST \/notifications-requests/m);
  });

  it('builds it with tools/build.mjs as it finds it', () => succeeds(nx('run', 'notifications:build')));

  it('lints it with the module boundaries, and Prettier finds nothing to change', async () => {
    await succeeds(nx('run', 'notifications:lint'));
    await succeeds(
      inWorkspace(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', 'apps/notifications', 'eslint.config.mjs', 'docker-compose.yml']),
    );
  });

  it('type-checks it', () => succeeds(nx('run', 'notifications:typecheck')));

  it('passes its own tests: the configuration unit test, and the built service run as a process', async () => {
    const { code, output } = await nx('run', 'notifications:test');
    assert.equal(code, 0, output);
    assert.match(output, /stores a signed request with 202/);
  });

  it('refuses the same name again, saying the app exists, and changes nothing', async () => {
    const compose = read('docker-compose.yml');
    const { code, output } = await inWorkspace('npm', ['run', 'new:service', '--', 'notifications']);
    assert.notEqual(code, 0);
    assert.match(output, /apps\/notifications already exists/);
    assert.equal(read('docker-compose.yml'), compose);
  });

  it('refuses a name that is not lower-case kebab-case starting with a letter, or that is reserved', async () => {
    const refusals = {
      Billing: /"Billing" is not a service name: use lower-case kebab-case/,
      '1x': /"1x" is not a service name/,
      a_b: /"a_b" is not a service name/,
      billing: /"billing" is reserved/,
    };
    // At once: each start of Nx costs seconds of the little CPU there is.
    const results = await Promise.all(Object.keys(refusals).map((name) => inWorkspace('npm', ['run', 'new:service', '--', name])));
    Object.values(refusals).forEach((refusal, index) => {
      assert.notEqual(results[index].code, 0, results[index].output);
      assert.match(results[index].output, refusal);
    });
    assert.ok(!existsSync(join(workspace, 'apps/a_b')) && !existsSync(join(workspace, 'apps/Billing')));
  });
});
