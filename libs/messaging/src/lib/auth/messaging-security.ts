import { EnvReader, isProduction } from '@onebip/platform';

/**
 * The shared secrets of service-to-service authentication, and the clock tolerance (seconds): what
 * a sender signs X-Authentication with (the first secret) and a receiver checks it against (each).
 */
export interface MessagingSecurity {
  secrets: readonly string[];
  clockToleranceSeconds: number;
}

/** Not a secret: what a service uses outside production when MESSAGING_SECRETS is unset. */
export const DEVELOPMENT_SECRET = 'development-only-secret-do-not-deploy';

/** The shortest secret production accepts: 32 characters (`openssl rand -hex 32` gives 64). */
export const PRODUCTION_SECRET_MIN_LENGTH = 32;

/**
 * MESSAGING_SECRETS (comma-separated; required in production) and MESSAGING_CLOCK_TOLERANCE_S
 * (default 300): the same two variables in every service. In production every secret must have
 * 32 characters or more, and none may be the published development secret.
 */
export function readMessagingSecurity(read: EnvReader, env: Record<string, string | undefined>): MessagingSecurity {
  const production = isProduction(env);
  const secrets = read.secrets('MESSAGING_SECRETS', { required: production, developmentDefault: DEVELOPMENT_SECRET });
  if (production && secrets.includes(DEVELOPMENT_SECRET)) {
    read.reject('MESSAGING_SECRETS must not contain the development secret in production: it is published with this code');
  }
  if (production && secrets.some((secret) => secret.length < PRODUCTION_SECRET_MIN_LENGTH)) {
    read.reject(`MESSAGING_SECRETS must have ${PRODUCTION_SECRET_MIN_LENGTH} characters or more in each secret in production`);
  }
  return { secrets, clockToleranceSeconds: read.integer('MESSAGING_CLOCK_TOLERANCE_S', 300, { min: 1, max: 86_400 }) };
}
