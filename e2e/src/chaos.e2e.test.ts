import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { FaultSchedule, testDatabaseUrl, waitFor } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

/**
 * The chaos suite: M payments while faults are injected between billing's worker and
 * connectivity, connectivity restarts, the worker is SIGKILLed and Redis loses every key of the system; then
 * nothing may be lost or doubled. M from CHAOS_PAYMENTS (1,000 by default), the fault schedule
 * from CHAOS_SEED (random by default, always printed: the same seed replays the same faults).
 */
const payments = Number(process.env.CHAOS_PAYMENTS ?? 1000);
const seed = FaultSchedule.seedFromEnvironment();
const CLIENTS = 20;
/**
 * The time limits follow from what the suite does, sized for a loaded 2-core machine rather than
 * a quiet run: posting gets 300 ms a payment (a quiet run needs about a tenth of it), the drain
 * CHAOS_DRAIN_TIMEOUT_MS, and the whole test both plus a minute.
 */
const postingBudgetMs = Math.max(120_000, payments * 300);
const drainTimeoutMs = Number(process.env.CHAOS_DRAIN_TIMEOUT_MS ?? 240_000);
const testTimeoutMs = postingBudgetMs + drainTimeoutMs + 60_000;

type Disruption = 'restart connectivity' | 'kill the worker' | 'lose redis data';

const schedule = new FaultSchedule(seed, { reset: 0.03, 'drop-response': 0.03, delay: 0.03, unavailable: 0.03 });
/** When each disruption strikes, as a share of the payments posted; jittered by the seed. */
const disruptions: { at: number; what: Disruption }[] = (
  [
    [0.15, 'restart connectivity'],
    [0.3, 'kill the worker'],
    [0.45, 'lose redis data'],
    [0.6, 'restart connectivity'],
    [0.75, 'kill the worker'],
    [0.9, 'restart connectivity'],
  ] as const
).map(([at, what]) => ({ at: at + (schedule.random() - 0.5) * 0.1, what }));

let system: RunningSystem;
const log = (line: string) => console.log(`[chaos] ${line}`);

before(async () => {
  system = await RunningSystem.start({
    separateWorker: true,
    faults: () => schedule.draw(),
    faultDelayMs: 200,
    billingEnv: {
      DELIVERY_TIMEOUT_MS: '1000',
      DELIVERY_CONCURRENCY: '32',
      DELIVERY_BACKOFF_FIRST_WAIT_S: '0.05',
      DELIVERY_BACKOFF_UP_TO_S: '120',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_PENDING_AFTER_MS: '5000',
    },
  });
});
after(() => system.stop());

async function query<T>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function disrupt(what: Disruption): Promise<void> {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(schedule.random() * 1000)));
  if (what === 'restart connectivity') {
    await system.connectivity.stop();
    await pause();
    await system.connectivity.start();
  } else if (what === 'kill the worker') {
    await system.worker!.kill();
    await pause();
    await system.worker!.start();
  } else {
    log(`${await system.loseRedisData()} Redis keys lost`);
  }
}

describe(`chaos: ${payments} payments, seed ${seed}`, () => {
  it('loses nothing and doubles nothing, whatever fails on the way', { timeout: testTimeoutMs }, async () => {
    log(`seed ${seed} (CHAOS_SEED=${seed} replays this fault schedule), ${payments} payments`);
    const started = Date.now();
    let accepted = 0;
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (accepted < payments) {
        accepted += 1;
        const response = await system.pay({ phoneNumber: '393331234567', amount: accepted, currency: 'EUR' });
        if (response.status !== 201) {
          accepted -= 1;
          throw new Error(`POST /payments answered ${response.status}`);
        }
      }
    });
    const monkey = (async () => {
      for (const { at, what } of disruptions) {
        await waitFor(`${Math.round(at * 100)}% of the payments`, () => accepted >= at * payments, { timeoutMs: postingBudgetMs, intervalMs: 20 });
        log(`${what} (after ${accepted} payments)`);
        await disrupt(what);
      }
    })();
    await Promise.all(clients);
    const postedIn = Date.now() - started;
    log(`${payments} payments accepted in ${postedIn} ms`);
    await monkey;

    const drainStarted = Date.now();
    const billing = system.billingDatabaseUrl;
    await waitFor(
      'every message to be acknowledged',
      async () => {
        const [{ sent }] = await query<{ sent: number }>(billing, `SELECT count(*)::int AS sent FROM messages WHERE status IN ('sent', 'delivered')`);
        return sent === payments;
      },
      { timeoutMs: drainTimeoutMs, intervalMs: 500 },
    );
    const drainedIn = Date.now() - drainStarted;

    const [counts] = await query<{ payments: number; messages: number; sent: number; orphans: number; attempts: number }>(
      billing,
      `SELECT (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM messages) AS messages,
              (SELECT count(*)::int FROM messages WHERE status IN ('sent', 'delivered')) AS sent,
              (SELECT count(*)::int FROM payments p LEFT JOIN messages m ON m.payment_id = p.id WHERE m.id IS NULL) AS orphans,
              (SELECT coalesce(sum(attempts), 0)::int FROM messages) AS attempts`,
    );
    const [received] = await query<{ rows: number; urls: number }>(
      testDatabaseUrl('connectivity'),
      `SELECT count(*)::int AS rows, count(DISTINCT message_url)::int AS urls FROM messages WHERE message_url LIKE $1`,
      [`${system.billingUrl}/messages/%`],
    );
    const proxy = system.faultProxy!;
    log(`faults injected: ${JSON.stringify({ ...proxy.injected, none: undefined })}`);
    log(`connectivity answered: ${JSON.stringify(Object.fromEntries(proxy.upstreamStatuses))} (409: a retry of a message it already had)`);
    log(
      `recorded attempts ${counts.attempts} for ${payments} messages: ${counts.attempts - payments} retries (attempts cut short by SIGKILL or lost Redis data are not recorded)`,
    );
    log(`drained ${drainedIn} ms after the last disruption; ${Date.now() - started} ms in all`);

    assert.equal(counts.payments, payments, 'every payment was stored');
    assert.equal(counts.orphans, 0, 'every payment has its message');
    assert.equal(counts.sent, payments, 'every message is sent (or already reported delivered)');
    assert.equal(received.urls, payments, 'connectivity holds every message');
    assert.equal(received.rows, payments, 'connectivity holds each message once');
    assert.ok(Object.values({ ...proxy.injected, none: 0 }).reduce((sum, count) => sum + count, 0) > 0, 'faults were injected');
  });
});
