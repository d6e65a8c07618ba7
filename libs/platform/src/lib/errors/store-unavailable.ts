/**
 * Error codes of Node's sockets and PostgreSQL that mean "the store is not there right now", or
 * that it aborted this statement for a reason that passes: trying again later may succeed.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '25006', // read_only_sql_transaction: a standby, before its promotion or after a failover
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available (lock_timeout)
  '57014', // query_canceled (statement_timeout, pg_cancel_backend)
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|Reached the max retries per request limit/i;

/**
 * Whether `error` says a store (PostgreSQL, Redis) could not be reached or aborted the write for a
 * passing reason, as opposed to a bug or a query it refuses for good (a constraint, bad syntax):
 * such a failure is answered 503 with Retry-After, and the client may try again.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (
    let cause = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0;
    cause && depth < 5;
    depth += 1
  ) {
    if (typeof cause.code === 'string' && UNAVAILABLE_CODES.has(cause.code)) return true;
    if (typeof cause.message === 'string' && UNAVAILABLE_MESSAGES.test(cause.message)) return true;
    cause = (cause.driverError ?? cause.cause) as typeof cause;
  }
  return false;
}
