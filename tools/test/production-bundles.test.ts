import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * The demo equipment (billing's console, connectivity's chaos switches, the simulated carrier) is
 * built into dist/demo/ and never into the production bundles of dist/apps/, which the production
 * image carries alone. Each marker is a class or a message of that equipment: it must be in the
 * demo bundle (so this test can see it) and not in the production one.
 */
const equipment = {
  billing: ['DemoConsoleModule', 'DemoConsoleController', 'DemoConsoleService', 'ConnectivityChaosClient', 'ConsoleAssets', 'Controller)("demo")'],
  connectivity: ['ChaosModule', 'ChaosController', 'ChaosFaults', 'ChaosSwitches', 'chaos_unavailable', 'Controller)("admin/chaos")'],
};

function bundle(path: string): string {
  assert.ok(existsSync(path), `${path} is not built: run npm run build`);
  return readFileSync(path, 'utf8');
}

describe('the production bundles', () => {
  for (const [app, markers] of Object.entries(equipment)) {
    it(`of ${app} carry none of its demo equipment, which its demo bundle does`, () => {
      const production = bundle(`dist/apps/${app}/main.js`);
      const demo = bundle(`dist/demo/${app}/main.js`);
      for (const marker of markers) {
        assert.ok(demo.includes(marker), `${marker} is in dist/demo/${app}/main.js`);
        assert.ok(!production.includes(marker), `${marker} is in dist/apps/${app}/main.js`);
      }
    });
  }

  it('of both apps carry no simulated carrier, which is an app of its own', () => {
    const carrier = bundle('dist/demo/simulated-carrier/main.js');
    assert.ok(carrier.includes('the simulated carrier refused this SMS'));
    for (const app of ['billing', 'connectivity']) {
      const production = bundle(`dist/apps/${app}/main.js`);
      for (const marker of ['the simulated carrier refused this SMS', 'simulated-carrier', 'SimulatedCarrier'])
        assert.ok(!production.includes(marker), `${marker} is in ${app}'s bundle`);
    }
  });
});
