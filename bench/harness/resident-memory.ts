import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The most memory a process has held resident so far, in bytes. On Linux the kernel keeps that
 * peak itself (VmHWM in /proc/<pid>/status), so nothing between two samples is missed; elsewhere
 * it is the largest of the samples `ps` gave, taken by `ResidentMemoryWatch`.
 */
export function kernelPeakRss(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Follows one process's resident memory and keeps its peak. */
export class ResidentMemoryWatch {
  private sampledPeak = 0;
  private readonly timer?: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    if (kernelPeakRss(pid) === undefined) {
      this.timer = setInterval(() => this.sample(), intervalMs);
      this.timer.unref();
    }
  }

  /** The peak resident set size so far, in bytes. */
  peakBytes(): number {
    return kernelPeakRss(this.pid) ?? Math.max(this.sampledPeak, this.sample());
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): number {
    try {
      const kilobytes = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(this.pid)], { encoding: 'utf8' }).trim());
      this.sampledPeak = Math.max(this.sampledPeak, kilobytes * 1024);
    } catch {
      // The process has exited: its peak is what was sampled.
    }
    return this.sampledPeak;
  }
}
