// Builds one entry point into a single CommonJS file under dist/, with node_modules left external:
//   node tools/build.mjs billing        -> dist/apps/billing/main.js, and its demo build under dist/demo/billing/
//   node tools/build.mjs connectivity   -> dist/apps/connectivity/main.js, and its demo build under dist/demo/connectivity/
//   node tools/build.mjs simulated-carrier -> dist/demo/simulated-carrier/main.js
//   node tools/build.mjs demo           -> dist/tools/demo/main.js
//   node tools/build.mjs messaging-cli  -> dist/tools/messaging-cli/main.js
//   node tools/build.mjs <app>          -> dist/apps/<app>/main.js, for any other apps/<app>/src/main.ts
// dist/apps/ holds what production runs; dist/demo/ the demo equipment (the console, the chaos
// switches, the simulated carrier), which the production image does not carry.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import swc from '@swc/core';

const require = createRequire(import.meta.url);
const swcOptions = require('./swc-options.js');

const entries = {
  billing: [
    { entry: 'apps/billing/src/main.ts', outfile: 'dist/apps/billing/main.js' },
    {
      entry: 'apps/billing/src/demo/main.ts',
      outfile: 'dist/demo/billing/main.js',
      // The demo console billing's demo build serves at /demo: a page and its script, built for the browser.
      page: { script: 'apps/billing/src/demo/console/console.ts', html: 'apps/billing/src/demo/console/index.html', outdir: 'dist/demo/billing/console' },
    },
  ],
  connectivity: [
    { entry: 'apps/connectivity/src/main.ts', outfile: 'dist/apps/connectivity/main.js' },
    { entry: 'apps/connectivity/src/demo/main.ts', outfile: 'dist/demo/connectivity/main.js' },
  ],
  'simulated-carrier': [{ entry: 'apps/simulated-carrier/src/main.ts', outfile: 'dist/demo/simulated-carrier/main.js' }],
  demo: [{ entry: 'tools/demo/main.ts', outfile: 'dist/tools/demo/main.js' }],
  'messaging-cli': [{ entry: 'tools/messaging-cli/main.ts', outfile: 'dist/tools/messaging-cli/main.js' }],
  bench: [{ entry: 'bench/main.ts', outfile: 'dist/bench/main.js' }],
};
addDiscoveredApps(entries);

/**
 * Adds every app with an `apps/<app>/src/main.ts` that the table does not name yet, so an app made
 * by `npm run new:service` builds with no edit here. A name given to two different entry points
 * stops the build: one of them would silently never be built.
 */
function addDiscoveredApps(table) {
  const apps = new URL('../apps/', import.meta.url);
  for (const app of existsSync(apps) ? readdirSync(apps, { withFileTypes: true }) : []) {
    const entry = `apps/${app.name}/src/main.ts`;
    if (!app.isDirectory() || !existsSync(new URL(`${app.name}/src/main.ts`, apps))) continue;
    if (table[app.name] && !table[app.name].some((built) => built.entry === entry)) {
      console.error(`tools/build.mjs: "${app.name}" names another entry point than ${entry}; rename one of them`);
      process.exit(2);
    }
    table[app.name] ??= [{ entry, outfile: `dist/apps/${app.name}/main.js` }];
  }
}

const decoratorMetadata = {
  name: 'swc-decorator-metadata',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const { code } = await swc.transform(source, { ...swcOptions, filename: path, sourceMaps: 'inline', module: { type: 'es6' } });
      return { contents: code, loader: 'js' };
    });
  },
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((name) => !entries[name])) {
  console.error(`usage: node tools/build.mjs ${Object.keys(entries).join('|')} [...]`);
  process.exit(2);
}

for (const { entry, outfile, page } of names.flatMap((name) => entries[name])) {
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: 'tsconfig.base.json',
    sourcemap: 'linked',
    plugins: [decoratorMetadata],
    // Nest names providers and log contexts after classes: keep the names esbuild would rename.
    keepNames: true,
    logLevel: 'warning',
  });
  console.log(`built ${outfile}`);
  if (page) {
    await esbuild.build({
      entryPoints: [page.script],
      outfile: join(page.outdir, 'console.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      tsconfig: join(dirname(page.script), 'tsconfig.json'),
      minify: true,
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    await copyFile(page.html, join(page.outdir, 'index.html'));
    console.log(`built ${page.outdir}/`);
  }
}
