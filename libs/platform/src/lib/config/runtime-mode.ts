import { ConfigError } from './config-error';

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

/**
 * Reads a demo build's configuration with `read`, after refusing production: demo equipment (a
 * console, fault switches) never runs there, whatever else the environment says.
 */
export function readDemoConfig<C>(read: (env: Record<string, string | undefined>) => C, env: Record<string, string | undefined> = process.env): C {
  if (isProduction(env)) {
    throw new ConfigError([`this is a demo build, refused with NODE_ENV=${env.NODE_ENV ?? '(unset)'}: production runs dist/apps/<service>/main.js`]);
  }
  return read(env);
}
