import { setTimeout as sleep } from 'node:timers/promises';
import { AppProcess } from '../harness/app-process';
import { commandCpuTimeMs } from '../harness/cpu-time';

/** What one process cost during a measurement. */
export interface ProcessUsage {
  process: string;
  /** The most memory it held resident since it started (each measurement starts its own); NaN for the shared servers. */
  peakRssMb: number;
  /** CPU time (user and system) it used in the measured stretch, per message. */
  cpuMsPerMessage: number;
}

/** The shared servers, whose CPU counts too: every process of theirs, whoever it serves. */
const SERVERS = [
  { process: 'postgres (all)', command: 'postgres' },
  { process: 'redis (all)', command: 'redis-server' },
];

/** How idle the processes must be before trailing work counts as done: 5% of a core. */
const QUIET_MS_PER_HALF_SECOND = 25;
const QUIET_TIMEOUT_MS = 30_000;

/**
 * The CPU each process of a system, and each shared server, uses over one stretch of a
 * measurement. Read from /proc on Linux; NaN elsewhere.
 */
export class UsageWindow {
  private constructor(
    private readonly processes: readonly AppProcess[],
    private readonly startedAt: number[],
  ) {}

  static open(processes: readonly AppProcess[]): UsageWindow {
    return new UsageWindow(processes, cpuNow(processes));
  }

  /**
   * Waits until the system's processes are idle, so that work still trailing the measurement is
   * counted, then gives each one's CPU time per message and peak memory.
   */
  async close(messages: number): Promise<ProcessUsage[]> {
    await waitUntilQuiet(this.processes);
    const endedAt = cpuNow(this.processes);
    const names = [...this.processes.map((process) => process.name), ...SERVERS.map((server) => server.process)];
    return names.map((process, index) => ({
      process,
      peakRssMb: index < this.processes.length ? Math.round((this.processes[index].peakRssBytes() / 2 ** 20) * 10) / 10 : Number.NaN,
      cpuMsPerMessage: (endedAt[index] - this.startedAt[index]) / messages,
    }));
  }
}

/** CPU time per message of every process, shared servers included: what one message costs the machine. */
export function totalCpuMsPerMessage(usage: readonly ProcessUsage[]): number {
  return usage.reduce((total, entry) => total + entry.cpuMsPerMessage, 0);
}

function cpuNow(processes: readonly AppProcess[]): number[] {
  return [...processes.map((process) => process.cpuTimeMs()), ...SERVERS.map((server) => commandCpuTimeMs(server.command))];
}

/**
 * Waits until `processes` together use less than 5% of a core over half a second (at most 30 s):
 * the work a batch left trailing behind it, such as delivery reports, is done.
 */
export async function waitUntilQuiet(processes: readonly AppProcess[]): Promise<void> {
  const deadline = Date.now() + QUIET_TIMEOUT_MS;
  const total = () => processes.reduce((sum, process) => sum + process.cpuTimeMs(), 0);
  let before = total();
  while (Date.now() < deadline) {
    await sleep(500);
    const now = total();
    // Without /proc the times are NaN: nothing to wait for.
    if (Number.isNaN(now) || now - before < QUIET_MS_PER_HALF_SECOND) return;
    before = now;
  }
}
