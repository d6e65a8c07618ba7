import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dockerfileEnvironment } from '@onebip/testing';
import { cpuTimeMs } from './cpu-time';
import { ResidentMemoryWatch } from './resident-memory';

export interface AppProcessOptions {
  /** Names the log file and the report's rows: `billing`, `bare-receiver`. */
  name: string;
  /** The built entry point, such as `dist/apps/billing/main.js`. */
  entry: string;
  env: Record<string, string>;
  logDir: string;
  /** Write a V8 CPU profile of the whole run into this directory when the process exits. */
  cpuProfileDir?: string;
}

/** How long a process may take to say it listens, and to exit after SIGTERM. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
/** Numbers the log files in the order the processes started. */
let started = 0;

/**
 * One process of a system under measurement, run from dist/ with NODE_ENV=production as it
 * ships. Unlike libs/testing's ServiceProcess it knows its pid, so the bench can read its
 * peak memory and the CPU time it used.
 */
export class AppProcess {
  private readonly memory: ResidentMemoryWatch;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly exited: Promise<number | null>,
  ) {
    this.memory = new ResidentMemoryWatch(pid);
  }

  /**
   * Spawns the process and resolves once it logs `listening on`. Its output goes straight to its
   * log file, not through the bench: a busy bench must not hold up a process that logs.
   */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    mkdirSync(options.logDir, { recursive: true });
    started += 1;
    const name = `${String(started).padStart(2, '0')}-${options.name}`;
    const logFile = join(options.logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profiling, options.entry], {
      // The image's environment (NODE_ENV=production, the heap cap in NODE_OPTIONS): run as shipped.
      env: { PATH: process.env.PATH ?? '', ...dockerfileEnvironment(), ...options.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    let spawnError: Error | undefined;
    child.once('error', (error) => (spawnError = error));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const output = readFileSync(logFile, 'utf8');
      if (/listening on/.test(output)) return new AppProcess(options.name, child, child.pid as number, exited);
      const failure = spawnError
        ? `${options.name} could not start: ${spawnError.message}`
        : child.exitCode !== null || child.signalCode !== null
          ? `${options.name} exited with ${child.exitCode ?? child.signalCode} before listening`
          : Date.now() > deadline
            ? `${options.name} did not listen within ${START_TIMEOUT_MS} ms`
            : undefined;
      if (failure) {
        child.kill('SIGKILL');
        throw new Error(`${failure}; the end of ${logFile}:\n${output.slice(-4000)}`);
      }
      await sleep(50);
    }
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The most memory the process has held resident since it started, in bytes. */
  peakRssBytes(): number {
    return this.memory.peakBytes();
  }

  /** CPU time the process has used since it started (user and system), in milliseconds. */
  cpuTimeMs(): number {
    return cpuTimeMs(this.pid);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it has. */
  async stop(): Promise<void> {
    this.memory.stop();
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
