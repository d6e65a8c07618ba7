import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/**
 * Nx caches each build by its inputs, and an app's inputs include its libraries only when the
 * project graph knows the app imports them. Without that, a change to libs/platform would leave
 * `npm run build` replaying a stale app from the cache.
 */
describe('the Nx project graph', () => {
  it('knows each app depends on the libraries it imports, so a library change rebuilds the apps', () => {
    const directory = mkdtempSync(join(tmpdir(), 'nx-graph-'));
    try {
      const file = join(directory, 'graph.json');
      execFileSync(process.execPath, [realpathSync('node_modules/.bin/nx'), 'graph', `--file=${file}`], {
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 120_000,
      });
      const { dependencies } = JSON.parse(readFileSync(file, 'utf8')).graph as { dependencies: Record<string, { target: string }[]> };
      const targets = (project: string) => dependencies[project].map((dependency) => dependency.target);
      for (const app of ['billing', 'connectivity']) {
        assert.ok(targets(app).includes('platform'), `${app} → platform`);
        assert.ok(targets(app).includes('messaging'), `${app} → messaging`);
      }
      assert.ok(targets('messaging').includes('platform'), 'messaging → platform');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
