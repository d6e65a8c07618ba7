import { afterEach } from 'node:test';

/**
 * Registers an afterEach hook that runs, last first, every cleanup a test deferred, and returns
 * the function that defers one: `const defer = deferredCleanups(); … defer(() => server.stop());`.
 */
export function deferredCleanups(): (cleanup: () => Promise<void>) => void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  return (cleanup) => void cleanups.push(cleanup);
}
