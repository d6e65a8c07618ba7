import { EnvReader } from './env-reader';
import { isProduction } from './runtime-mode';

/** The shortest ADMIN_PASSWORD production accepts. */
export const PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH = 12;

/** Whether the human-facing pages (queue dashboard, demo console) are served, and behind what. */
export interface AdminUi {
  enabled: boolean;
  /** Basic-auth credentials the pages ask for; none: open (only allowed outside production). */
  credentials?: { user: string; password: string };
}

/** The URL prefixes of the admin pages, guarded by AdminUi's credentials. */
export const ADMIN_UI_PATHS = ['/admin/queues', '/demo'];

/**
 * ADMIN_UI_ENABLED (default: true, false in production), ADMIN_USER and ADMIN_PASSWORD. In
 * production the pages need both credentials, the password 12 characters or more; elsewhere
 * they are optional.
 */
export function readAdminUi(read: EnvReader, env: Record<string, string | undefined>): AdminUi {
  const production = isProduction(env);
  const enabled = read.boolean('ADMIN_UI_ENABLED', !production);
  const user = read.text('ADMIN_USER');
  const password = read.text('ADMIN_PASSWORD');
  if ((user === undefined) !== (password === undefined)) read.reject('ADMIN_USER and ADMIN_PASSWORD must be set together');
  if (production && enabled && (user === undefined || password === undefined)) {
    read.reject('ADMIN_UI_ENABLED=true with NODE_ENV=production requires ADMIN_USER and ADMIN_PASSWORD');
  }
  if (production && password !== undefined && password.length < PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH) {
    read.reject(`ADMIN_PASSWORD must have ${PRODUCTION_ADMIN_PASSWORD_MIN_LENGTH} characters or more in production`);
  }
  return { enabled, credentials: user !== undefined && password !== undefined ? { user, password } : undefined };
}
