import { formatFiles, generateFiles, logger } from '@nx/devkit';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { join } from 'node:path';
import { serviceNames, whyNotAServiceName } from './service-name.ts';
import { addBoundary, addComposeService, addReadmeLine, nextFreePort } from './workspace-edits.ts';

export interface ServiceGeneratorOptions {
  name: string;
}

/**
 * `npm run new:service -- <name>`: adds apps/<name>, a service wired the way connectivity is
 * (signed requests in, a job queue out, its own database), with its tests; gives it a module
 * boundary, a compose service on the next free port and a line in the README. Refuses a name
 * that is malformed or already taken, before writing anything.
 */
export default async function serviceGenerator(tree: Tree, options: ServiceGeneratorOptions): Promise<GeneratorCallback> {
  const refusal = whyNotAServiceName(tree, options.name);
  if (refusal) throw new Error(refusal);
  const names = serviceNames(options.name);
  const port = nextFreePort(tree);
  // The migration's name must end in a timestamp (TypeORM orders migrations by it).
  generateFiles(tree, join(import.meta.dirname, '..', 'files'), `apps/${names.name}`, { ...names, port, timestamp: String(Date.now()) });
  addBoundary(tree, names);
  addComposeService(tree, names, port);
  addReadmeLine(tree, names);
  await formatFiles(tree);
  return () => {
    logger.info(`apps/${names.name} is ready: npx nx run ${names.name}:test builds it and runs its tests (port ${port} by default).`);
    logger.info('Next: docs/adding-a-service.md (making another service send to it, and production settings).');
  };
}
