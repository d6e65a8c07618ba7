// Lets Node run the project's TypeScript directly (tests, scripts): compiles each .ts file with
// the build's SWC options, and resolves the workspace's @onebip/* aliases to their sources.
const Module = require('node:module');
const path = require('node:path');
const swc = require('@swc/core');
const swcOptions = require('../swc-options.js');

const root = path.resolve(__dirname, '../..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
const aliases = Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases[request] ?? request, ...rest);
};

Module._extensions['.ts'] = function (module, filename) {
  const source = require('node:fs').readFileSync(filename, 'utf8');
  const { code } = swc.transformSync(source, { ...swcOptions, filename });
  module._compile(code, filename);
};
