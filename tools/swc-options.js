// One SWC configuration for the build and for Jest, so tests run the code as it ships.
// NestJS resolves constructor dependencies from decorator metadata, which esbuild
// alone cannot emit: SWC compiles each TypeScript file, esbuild only bundles.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
