import { ConfigError, EnvReader } from '@onebip/platform';

/** The groups of measurements a run can be limited to with BENCH_ONLY. */
export const MEASUREMENTS = ['delivery', 'e2e', 'rpc', 'events'] as const;
export type Measurement = (typeof MEASUREMENTS)[number];

/** An open-loop phase: requests sent on a schedule, whatever the answers. */
export interface PacedPhase {
  ratePerSecond: number;
  seconds: number;
}

/** What one run measures, and where; read once from BENCH_* variables. */
export interface BenchSettings {
  /** Jobs drained in the delivery stage, and payments accepted end to end. */
  n: number;
  /** Payments accepted in each fan-out of the events measurement (0, 1 and 3 subscribers, one of 3 slow). */
  eventsN: number;
  /** POST /payments latency at a fixed rate in each fan-out: low enough for 3 subscribers on a small machine. */
  eventsLatency: PacedPhase;
  /** Concurrent clients posting payments in the end-to-end measurement. */
  clients: number;
  /** Deliveries one worker process makes at once, for billing and the bare pipelines alike. */
  deliveryConcurrency: number;
  /** Jobs or payments sent before each measurement and left out of it, so the JIT is warm. */
  warmup: number;
  /** Enqueue-to-acknowledgement latency, with jobs queued at a steady rate below capacity. */
  pacedDelivery: PacedPhase;
  /** POST /payments latency at a fixed rate. */
  latency: PacedPhase;
  /** POST /payments latency, messaging against RPC, for each of connectivity's delays. */
  rpc: PacedPhase & { connectivityDelaysMs: number[] };
  only: ReadonlySet<Measurement>;
  /** A PostgreSQL server URL without a database; the bench creates and drops its own `*_bench` databases. */
  postgresUrl: string;
  redisUrl: string;
  /** Run the apps with --cpu-prof, profiles under the results directory. */
  cpuProfile: boolean;
  resultsDir: string;
  logDir: string;
}

/**
 * BullMQ keeps the last 10,000 completed jobs (libs/messaging's KEEP_COMPLETED), and the delivery
 * stage reads their timestamps: more jobs in one batch would lose the first ones.
 */
const MAX_BATCH = 10_000;

/** Reads BENCH_* variables; throws a ConfigError naming every bad one. */
export function readBenchSettings(env: Record<string, string | undefined> = process.env): BenchSettings {
  const read = new EnvReader(env);
  const only = read.list('BENCH_ONLY');
  const n = read.integer('BENCH_N', 5000, { min: 100, max: MAX_BATCH });
  const settings = read.done({
    n,
    eventsN: read.integer('BENCH_EVENTS_N', Math.min(n, 1000), { min: 100, max: MAX_BATCH }),
    eventsLatency: {
      ratePerSecond: read.integer('BENCH_EVENTS_RATE', 25, { min: 1, max: 5000 }),
      seconds: read.integer('BENCH_EVENTS_SECONDS', 10, { min: 1, max: 3600 }),
    },
    clients: read.integer('BENCH_CLIENTS', 20, { min: 1, max: 1000 }),
    deliveryConcurrency: read.integer('BENCH_DELIVERY_CONCURRENCY', 16, { min: 1, max: 1000 }),
    warmup: read.integer('BENCH_WARMUP', Math.min(500, Math.ceil(n / 10)), { min: 0, max: MAX_BATCH }),
    pacedDelivery: {
      ratePerSecond: read.integer('BENCH_DELIVERY_RATE', 100, { min: 1, max: 5000 }),
      seconds: read.integer('BENCH_DELIVERY_SECONDS', 10, { min: 1, max: 3600 }),
    },
    latency: {
      ratePerSecond: read.integer('BENCH_LATENCY_RATE', 200, { min: 1, max: 5000 }),
      seconds: read.integer('BENCH_LATENCY_SECONDS', 15, { min: 1, max: 3600 }),
    },
    rpc: {
      ratePerSecond: read.integer('BENCH_RPC_RATE', 100, { min: 1, max: 5000 }),
      seconds: read.integer('BENCH_RPC_SECONDS', 10, { min: 1, max: 3600 }),
      connectivityDelaysMs: [0, 200, 2000],
    },
    only: new Set((only.length > 0 ? only : MEASUREMENTS) as Measurement[]),
    postgresUrl: read.url('BENCH_POSTGRES_URL', ['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432'),
    redisUrl: read.url('BENCH_REDIS_URL', ['redis:'], 'redis://127.0.0.1:6379/3'),
    cpuProfile: read.boolean('BENCH_CPU_PROF', false),
    resultsDir: env.BENCH_RESULTS_DIR?.trim() || 'bench/results',
    logDir: 'test-output/bench',
  });
  const problems = [
    ...only
      .filter((name) => !(MEASUREMENTS as readonly string[]).includes(name))
      .map((name) => `BENCH_ONLY names ${JSON.stringify(name)}, not one of ${MEASUREMENTS.join(', ')}`),
    ...Object.entries({ BENCH_POSTGRES_URL: settings.postgresUrl, BENCH_REDIS_URL: settings.redisUrl })
      .filter(([, url]) => !isLoopback(url))
      .map(([name]) => `${name} must point at this machine (127.0.0.1, ::1 or localhost): the bench drops and recreates what it uses`),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function isLoopback(url: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}
