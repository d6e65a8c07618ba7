// Builds one entry point into a single CommonJS file under dist/, with node_modules left external:
//   node tools/build.mjs billing        -> dist/apps/billing/main.js
//   node tools/build.mjs connectivity   -> dist/apps/connectivity/main.js
//   node tools/build.mjs demo           -> dist/tools/demo/main.js
//   node tools/build.mjs messaging-cli  -> dist/tools/messaging-cli/main.js
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import swc from '@swc/core';

const require = createRequire(import.meta.url);
const swcOptions = require('./swc-options.js');

const entries = {
  billing: { entry: 'apps/billing/src/main.ts', outfile: 'dist/apps/billing/main.js' },
  connectivity: { entry: 'apps/connectivity/src/main.ts', outfile: 'dist/apps/connectivity/main.js' },
  demo: { entry: 'tools/demo/main.ts', outfile: 'dist/tools/demo/main.js' },
  'messaging-cli': { entry: 'tools/messaging-cli/main.ts', outfile: 'dist/tools/messaging-cli/main.js' },
};

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

for (const name of names) {
  const { entry, outfile } = entries[name];
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
}
