import { isIP } from 'node:net';
import { EnvReader } from './env-reader';
import { isProduction } from './runtime-mode';

/** Where Prometheus scrapes a production process unless METRICS_PORT says otherwise. */
export const DEFAULT_METRICS_PORT = 9464;

/**
 * How a service's HTTP listener holds up against slow and greedy clients, and where its metrics
 * are served. Read by every app from the same variables.
 */
export interface HttpEdge {
  /** HTTP_REQUEST_TIMEOUT_MS: the longest a whole request (headers and body) may take to arrive; 408 beyond. */
  requestTimeoutMs: number;
  /** HTTP_HEADERS_TIMEOUT_MS: the longest the headers may take. */
  headersTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_CONNECTIONS: open connections per process; the next ones are refused. */
  maxConnections: number;
  /**
   * TRUSTED_PROXIES: addresses or CIDR ranges of the proxies in front of the service. Only a
   * request from one of them has its client address taken from X-Forwarded-For; empty: none.
   */
  trustedProxies: string[];
  /**
   * Where GET /metrics is served: on the service port outside production; in production on a
   * listener of its own (METRICS_PORT, default 9464) and not on the service port. METRICS_PORT
   * set outside production adds that listener too.
   */
  metrics: { onServicePort: boolean; port?: number };
}

/** Reads the HttpEdge variables (see HttpEdge) with production's defaults. */
export function readHttpEdge(read: EnvReader, env: Record<string, string | undefined>): HttpEdge {
  const production = isProduction(env);
  const requestTimeoutMs = read.integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, { min: 100, max: 600_000 });
  const headersTimeoutMs = read.integer('HTTP_HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs), { min: 100, max: 600_000 });
  if (headersTimeoutMs > requestTimeoutMs) read.reject('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  const trustedProxies = read.list('TRUSTED_PROXIES');
  for (const proxy of trustedProxies) {
    if (!isAddressOrRange(proxy)) read.reject(`TRUSTED_PROXIES must list IP addresses or CIDR ranges, got ${JSON.stringify(proxy)}`);
  }
  const metricsPort = env.METRICS_PORT?.trim() ? read.port('METRICS_PORT', DEFAULT_METRICS_PORT) : production ? DEFAULT_METRICS_PORT : undefined;
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    // Above the 60 s idle timeout of common load balancers, so that they close first (as Fastify's default).
    keepAliveTimeoutMs: read.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, { min: 1_000, max: 600_000 }),
    maxConnections: read.integer('HTTP_MAX_CONNECTIONS', 1024, { min: 1, max: 1_000_000 }),
    trustedProxies,
    metrics: { onServicePort: !production, port: metricsPort },
  };
}

function isAddressOrRange(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
