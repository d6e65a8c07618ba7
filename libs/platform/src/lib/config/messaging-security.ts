import { EnvReader } from './env-reader';

/** The shared secrets of service-to-service authentication, and the clock tolerance (seconds). */
export interface MessagingSecurity {
  secrets: string[];
  clockToleranceSeconds: number;
}

/** Not a secret: what a service uses outside production when MESSAGING_SECRETS is unset. */
export const DEVELOPMENT_SECRET = 'development-only-secret-do-not-deploy';

/**
 * MESSAGING_SECRETS (comma-separated; required with NODE_ENV=production) and
 * MESSAGING_CLOCK_TOLERANCE_S (default 300): the same two variables in every service.
 */
export function readMessagingSecurity(read: EnvReader, env: Record<string, string | undefined>): MessagingSecurity {
  return {
    secrets: read.secrets('MESSAGING_SECRETS', { required: env.NODE_ENV === 'production', developmentDefault: DEVELOPMENT_SECRET }),
    clockToleranceSeconds: read.integer('MESSAGING_CLOCK_TOLERANCE_S', 300, { min: 1, max: 86_400 }),
  };
}
