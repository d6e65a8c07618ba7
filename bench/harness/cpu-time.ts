import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's CPU times (CLK_TCK, 100 on most Linux systems). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * The command name of process `pid`, its CPU time (user and system) and that of its children it
 * has reaped, in milliseconds, from /proc (Linux); undefined once it has exited.
 */
function procStat(pid: number | string): { command: string; cpuMs: number; reapedChildrenCpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields after it are numbers,
    // from the third on: utime, stime, cutime and cstime are the 14th to the 17th.
    const close = stat.lastIndexOf(')');
    const fields = stat
      .slice(close + 2)
      .split(' ')
      .map(Number);
    const ms = (ticks: number) => (ticks * 1000) / clockTicks();
    return { command: stat.slice(stat.indexOf('(') + 1, close), cpuMs: ms(fields[11] + fields[12]), reapedChildrenCpuMs: ms(fields[13] + fields[14]) };
  } catch {
    return undefined;
  }
}

/** CPU time process `pid` has used, in milliseconds; NaN where /proc is not there or once the process has exited. */
export function cpuTimeMs(pid: number): number {
  return procStat(pid)?.cpuMs ?? Number.NaN;
}

/**
 * CPU time used by a server made of processes named `command` (`postgres`: the postmaster and its
 * backends), in milliseconds: every running one's, and that of the children they have reaped, so
 * that a backend whose connection closed still counts. NaN without /proc.
 */
export function commandCpuTimeMs(command: string): number {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return Number.NaN;
  }
  return pids.reduce((total, pid) => {
    const stat = procStat(pid);
    return stat?.command === command ? total + stat.cpuMs + stat.reapedChildrenCpuMs : total;
  }, 0);
}
