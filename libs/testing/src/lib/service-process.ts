import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ServiceProcessOptions {
  /** A name for logs: `billing`, `connectivity`. */
  name: string;
  /** The built entry point, such as `dist/apps/billing/main.js`. */
  entry: string;
  env: Record<string, string>;
  /** Where the process's output goes (one file per start); defaults to test-output/logs. */
  logDir?: string;
}

/**
 * A built app run as a child process, the way it ships: started from dist/, ready once it
 * logs that it listens, stopped with SIGTERM or killed with SIGKILL, and started again.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private starts = 0;
  private logPath?: string;

  constructor(private readonly options: ServiceProcessOptions) {}

  /** Starts the process and resolves once it listens; rejects if it exits or stays silent. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`${this.options.name} is already running`);
    const logDir = this.options.logDir ?? join('test-output', 'logs');
    mkdirSync(logDir, { recursive: true });
    this.starts += 1;
    this.logPath = join(logDir, `${this.options.name}-${process.pid}-${this.starts}.log`);
    this.log = createWriteStream(this.logPath);
    const child = spawn(process.execPath, [this.options.entry], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...this.options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`${this.options.name} did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/listening on/.test(output)) done();
      };
      const onExit = (code: number | null) => fail(new Error(`${this.options.name} exited with ${code} before listening:\n${output}`));
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
      };
      const done = () => (cleanup(), resolve());
      const fail = (error: Error) => (cleanup(), reject(error));
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The file the latest start's output goes to. */
  get logFile(): string | undefined {
    return this.logPath;
  }

  /** The JSON lines the latest start has logged so far (other output is skipped). */
  logLines(): Record<string, unknown>[] {
    if (!this.logPath) return [];
    return readFileSync(this.logPath, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  }

  /** SIGTERM, then waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** SIGKILL: the process dies at once, mid-request if it was in one. */
  kill(): Promise<number | null> {
    return this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    const code = await exited;
    this.child = undefined;
    return code;
  }
}
