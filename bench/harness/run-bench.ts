import { cpus, totalmem } from 'node:os';
import { ConfigError, redact } from '@onebip/platform';
import { checkTargets } from '../report/targets';
import { BenchResults, Comparison } from '../report/results';
import { writeResults } from '../report/results-file';
import { renderReport } from '../report/table';
import { measureDelivery } from '../scenarios/delivery-stage';
import { measureEndToEnd } from '../scenarios/end-to-end';
import { FAN_OUTS, FanOutMeasurement, measureFanOut } from '../scenarios/event-fan-out';
import { measureMessagingAgainstRpc } from '../scenarios/messaging-vs-rpc';
import { ProcessUsage, totalCpuMsPerMessage } from '../scenarios/process-usage';
import { BenchDatabases } from './bench-databases';
import { BenchRun } from './bench-run';
import { DeliveryPipeline, startBareDeliveryPipeline, startBaselineDeliveryStage, startRealDeliveryStage } from './delivery-pipelines';
import { missingInfrastructure } from './infrastructure';
import { PaymentSystem, startBaselineSystem, startRealSystem } from './payment-systems';
import { BenchSettings, readBenchSettings } from './settings';

/**
 * The whole bench: each measurement against the real system and its bare counterpart, one after
 * the other on the same PostgreSQL and Redis, then the table, the targets and the JSON figures.
 * Resolves to the exit code: 1 only when something could not be measured, never for a missed target.
 */
export async function runBench(): Promise<number> {
  let settings: BenchSettings;
  try {
    settings = readBenchSettings();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`bench: ${error.message}`);
    return 2;
  }
  const missing = await missingInfrastructure(settings);
  if (missing.length > 0) {
    console.error(`bench: cannot start:\n${missing.map((problem) => `  - ${problem}`).join('\n')}`);
    return 1;
  }

  const run = new BenchRun(settings, new BenchDatabases(settings.postgresUrl), process.argv[1]);
  process.once('SIGINT', () => void run.cleanUp().finally(() => process.exit(130)));
  const startedAt = new Date();
  const say = (line: string) => console.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const failures: string[] = [];
  const measure = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    say(`measuring ${what}`);
    try {
      return await work();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message}`);
      say(`could not measure ${what}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const results: Omit<BenchResults, 'targets' | 'finishedAt'> = {
    startedAt: startedAt.toISOString(),
    machine: machine(),
    settings: describe(settings),
    failures,
  };

  say(
    `N=${settings.n}, warm-up ${settings.warmup}, ${settings.clients} clients, ${settings.deliveryConcurrency} deliveries at once; logs in ${settings.logDir}/`,
  );
  try {
    if (settings.only.has('delivery')) {
      const real = await measure('the delivery stage (billing worker -> connectivity)', () =>
        using(startRealDeliveryStage(run), (pipeline) => measureDelivery(pipeline, settings)),
      );
      const baseline = await measure('the delivery stage written bare', () =>
        using(startBaselineDeliveryStage(run), (pipeline) => measureDelivery(pipeline, settings)),
      );
      const bare = await measure('the bare delivery pipeline', () => using(startBareDeliveryPipeline(run), (pipeline) => measureDelivery(pipeline, settings)));
      if (real && bare) results.delivery = { real, bare, ...compare(real, bare), ...(baseline ? { baseline, sameWork: compare(real, baseline) } : {}) };
    }
    if (settings.only.has('e2e')) {
      const real = await measure('end to end (billing + connectivity)', () =>
        using(startRealSystem(run), (system) => measureEndToEnd(system, settings, run.databases)),
      );
      const baseline = await measure('end to end (bare baseline)', () =>
        using(startBaselineSystem(run), (system) => measureEndToEnd(system, settings, run.databases)),
      );
      if (real && baseline) results.endToEnd = { real, baseline, ...compare(real, baseline) };
    }
    if (settings.only.has('rpc')) results.messagingVsRpc = await measure('messaging against RPC', () => measureMessagingAgainstRpc(run));
    if (settings.only.has('events')) {
      const fanOuts: FanOutMeasurement[] = [];
      for (const fanOut of FAN_OUTS) {
        const measured = await measure(`events to ${fanOut.subscribers} subscriber(s)${fanOut.slow > 0 ? `, ${fanOut.slow} of them slow` : ''}`, () =>
          measureFanOut(run, settings, run.databases, fanOut),
        );
        if (measured) fanOuts.push(measured);
      }
      results.events = fanOuts;
    }
  } finally {
    say('cleaning up');
    await run.cleanUp();
  }

  const finished: BenchResults = { ...results, finishedAt: new Date().toISOString(), targets: checkTargets(results) };
  console.log(`\n${renderReport(finished)}\n`);
  const path = await writeResults(settings.resultsDir, finished);
  console.log(`figures written to ${path} and ${settings.resultsDir}/latest.json`);
  return failures.length > 0 ? 1 : 0;
}

/** Measures with what `starting` starts, and stops it afterwards whatever happened. */
async function using<T extends DeliveryPipeline | PaymentSystem, R>(starting: Promise<T>, work: (started: T) => Promise<R>): Promise<R> {
  const started = await starting;
  try {
    return await work(started);
  } finally {
    await started.stop();
  }
}

/** The real side against the bare one, in throughput and in CPU per message. */
function compare(real: { messagesPerSecond: number; usage: ProcessUsage[] }, bare: { messagesPerSecond: number; usage: ProcessUsage[] }): Comparison {
  return { ratio: real.messagesPerSecond / bare.messagesPerSecond, cpuRatio: totalCpuMsPerMessage(bare.usage) / totalCpuMsPerMessage(real.usage) };
}

function machine(): BenchResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function describe(settings: BenchSettings): Record<string, unknown> {
  return { ...settings, only: [...settings.only], postgresUrl: redact(settings.postgresUrl), redisUrl: redact(settings.redisUrl) };
}
