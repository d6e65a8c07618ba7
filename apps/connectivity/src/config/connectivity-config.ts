import { EnvReader, MessagingSecurity, readMessagingSecurity } from '@onebip/platform';

/** Connectivity's configuration, read once from the environment at boot. */
export interface ConnectivityConfig {
  port: number;
  host: string;
  databaseUrl: string;
  bodyLimitBytes: number;
  /** Shared secrets that X-Authentication must be signed with, and the clock tolerance. */
  messaging: MessagingSecurity;
}

/** Reads and validates connectivity's environment; throws a ConfigError naming every bad variable. */
export function readConnectivityConfig(env: Record<string, string | undefined> = process.env): ConnectivityConfig {
  const read = new EnvReader(env);
  return read.done({
    port: read.port('PORT', 3002),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/connectivity'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 64 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    messaging: readMessagingSecurity(read, env),
  });
}
