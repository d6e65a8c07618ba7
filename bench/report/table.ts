import { LatencySummary } from '../harness/stats';
import { ProcessUsage, totalCpuMsPerMessage } from '../scenarios/process-usage';
import { BenchResults, Comparison } from './results';

/** The run as text: one table a measurement, then the targets, met or missed. */
export function renderReport(results: BenchResults): string {
  const sections: string[] = [];
  const { delivery, endToEnd, messagingVsRpc, events, settings } = results;

  if (delivery) {
    const { ratePerSecond } = delivery.real.paced;
    const pipelines = [delivery.real, ...(delivery.baseline ? [delivery.baseline] : []), delivery.bare];
    sections.push(
      section(
        `Delivery stage: ${delivery.real.jobs} signed jobs queued, then drained (${settings.deliveryConcurrency} deliveries at once); latency from enqueue to acknowledgement at ${ratePerSecond} jobs/s`,
        ['pipeline', 'msg/s', 'p50 ms', 'p99 ms', 'backlog p50 ms', 'failed', 'stored/queued'],
        pipelines.map((measured) => [
          measured.pipeline,
          number(measured.messagesPerSecond, 0),
          number(measured.paced.latency.p50),
          number(measured.paced.latency.p99),
          number(measured.backlogLatency.p50, 0),
          String(measured.failed + measured.paced.failed),
          `${measured.stored}/${measured.queued}`,
        ]),
        [`billing / bare pipeline: ${versus(delivery)}`, ...(delivery.sameWork ? [`billing / baseline, same work: ${versus(delivery.sameWork)}`] : [])],
      ),
    );
  }

  if (endToEnd) {
    const { real, baseline } = endToEnd;
    sections.push(
      section(
        `End to end: ${real.posts.succeeded} payments by ${real.posts.clients} clients, until every message is sent`,
        ['system', 'POST/s', 'POST p50 ms', 'POST p99 ms', 'msg/s sent', 'failed'],
        [real, baseline].map((measured) => [
          measured.system,
          number(measured.posts.perSecond, 0),
          number(measured.posts.latency.p50),
          number(measured.posts.latency.p99),
          number(measured.messagesPerSecond, 0),
          String(measured.failedMessages),
        ]),
        [`billing + connectivity / baseline: ${versus(endToEnd)}`],
      ),
      section(
        `POST /payments at ${real.latencyAtRate.ratePerSecond} req/s, open loop, from each request's scheduled time`,
        ['system', ...latencyColumns, '201'],
        [real, baseline].map((measured) => [
          measured.system,
          ...latencyCells(measured.latencyAtRate.latency),
          `${measured.latencyAtRate.succeeded}/${measured.latencyAtRate.sent}`,
        ]),
      ),
    );
  }

  if (messagingVsRpc && messagingVsRpc.length > 0) {
    const billings = [...new Set(messagingVsRpc.map((cell) => cell.billing))];
    const conditions = [...new Set(messagingVsRpc.map((cell) => cell.connectivity))];
    sections.push(
      section(
        `Messaging against RPC: POST /payments at ${messagingVsRpc[0].ratePerSecond} req/s, open loop; p50 / p99 ms (share answered 201)`,
        ['connectivity', ...billings],
        conditions.map((condition) => [
          condition,
          ...billings.map((billing) => {
            const cell = messagingVsRpc.find((candidate) => candidate.connectivity === condition && candidate.billing === billing);
            return cell ? `${number(cell.latency.p50)} / ${number(cell.latency.p99)} (${((100 * cell.succeeded) / cell.sent).toFixed(0)}%)` : '-';
          }),
        ]),
      ),
    );
  }

  if (events && events.length > 0) {
    const rate = events[0].latencyAtRate.ratePerSecond;
    sections.push(
      section(
        `Events: ${events[0].posts.succeeded} payments by ${events[0].posts.clients} clients for each fan-out, until every message is sent and every event delivered to each subscriber that answers in time`,
        ['subscribers', 'slow', 'POST/s', 'POST p99 ms', 'msg/s sent', 'message p99 ms', 'event p50 ms', 'event p99 ms', 'delivered'],
        events.map((run) => [
          String(run.subscribers),
          String(run.slow),
          number(run.posts.perSecond, 0),
          number(run.posts.latency.p99),
          number(run.messagesPerSecond, 0),
          number(run.messageLatency.p99, 0),
          number(run.eventLatency.p50, 0),
          number(run.eventLatency.p99, 0),
          `${run.delivered}/${run.expected}`,
        ]),
        ['a slow subscriber answers 1 s after the delivery timeout (10 s, the default): each of its attempts holds a worker slot and fails'],
      ),
      section(
        `Events at ${rate} payments/s, open loop, once the batch is delivered: POST /payments, and from each payment to its message at connectivity and its event at each subscriber that answers in time`,
        ['subscribers', 'slow', 'POST p50 ms', 'POST p99 ms', 'message p50 ms', 'message p99 ms', 'event p50 ms', 'event p99 ms', '201'],
        events.map(({ subscribers, slow, latencyAtRate }) => [
          String(subscribers),
          String(slow),
          number(latencyAtRate.latency.p50),
          number(latencyAtRate.latency.p99),
          number(latencyAtRate.messageLatency.p50, 0),
          number(latencyAtRate.messageLatency.p99, 0),
          number(latencyAtRate.eventLatency.p50, 0),
          number(latencyAtRate.eventLatency.p99, 0),
          `${latencyAtRate.succeeded}/${latencyAtRate.sent}`,
        ]),
      ),
    );
  }

  const usageRows = (during: string, usage: ProcessUsage[]) => [
    ...usage.map((entry) => [during, entry.process, number(entry.peakRssMb, 0), number(entry.cpuMsPerMessage, 2)]),
    [during, 'total', '-', number(totalCpuMsPerMessage(usage), 2)],
  ];
  const usage = [
    ...(delivery
      ? [delivery.real, delivery.baseline, delivery.bare].flatMap((measured) => (measured ? usageRows(`delivery: ${measured.pipeline}`, measured.usage) : []))
      : []),
    ...(endToEnd ? [endToEnd.real, endToEnd.baseline].flatMap((measured) => usageRows(`end to end: ${measured.system}`, measured.usage)) : []),
  ];
  if (usage.length > 0)
    sections.push(
      section(
        'Peak resident memory, and CPU time per message (postgres and redis: every process of the server)',
        ['during', 'process', 'peak MB', 'CPU ms/msg'],
        usage,
      ),
    );

  if (results.targets.length > 0) {
    sections.push(
      section(
        'Targets',
        ['', 'target', 'measured'],
        results.targets.map((check) => [check.met ? 'met' : 'MISSED', check.target, check.measured]),
      ),
    );
  }
  if (results.failures.length > 0) sections.push(`Could not measure:\n${results.failures.map((failure) => `  - ${failure}`).join('\n')}`);
  return sections.join('\n\n');
}

/** `0.47 x the messages/s, 2.2 x the CPU per message`. */
function versus(comparison: Comparison): string {
  return `${comparison.ratio.toFixed(2)} x the messages/s, ${(1 / comparison.cpuRatio).toFixed(1)} x the CPU per message`;
}

const latencyColumns = ['p50 ms', 'p90 ms', 'p99 ms', 'max ms'];

function latencyCells(latency: LatencySummary): string[] {
  return [latency.p50, latency.p90, latency.p99, latency.max].map((value) => number(value));
}

function number(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** A titled table, its columns as wide as their widest cell: figures aligned right, words left. */
function section(title: string, headers: string[], rows: string[][], footer: string[] = []): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const figures = headers.map((_, column) => rows.every((row) => /^[\d-]/.test(row[column])));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (figures[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [title, `  ${line(headers)}`, ...rows.map((row) => `  ${line(row)}`), ...footer.map((note) => `  ${note}`)].join('\n');
}
