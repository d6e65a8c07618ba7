/** The values of NODE_ENV that mean "not production"; exactly these, spelled this way. */
const NON_PRODUCTION = ['development', 'test'];

/**
 * Whether a process runs in production: unless NODE_ENV is exactly `development` or `test`, it
 * does. An unset, misspelled or unexpected value (`Production`, `prod`, `development `) fails
 * closed: production's checks apply, and its refusals stop the boot.
 */
export function isProduction(env: Record<string, string | undefined>): boolean {
  return !NON_PRODUCTION.includes(env.NODE_ENV ?? '');
}
