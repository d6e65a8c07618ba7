import { execFile } from 'node:child_process';
import { it } from 'node:test';
import { COMPOSE_FILES, ComposeVariant, waitFor, workspaceRoot } from '@onebip/testing';

/** What one command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` with `args` in the workspace; never rejects for a non-zero exit (the result says it). */
export function runCommand(command: string, args: string[], { env = process.env, timeoutMs = 600_000 } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: workspaceRoot(), env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The compose command the runner (tools/test/compose.mjs) found: `docker compose` when the v2
 * plugin exists, else `docker-compose`, both at the DOCKER_HOST in the environment.
 */
function composeCommand(): string[] {
  const chosen = process.env.COMPOSE_COMMAND;
  if (!chosen) throw new Error('COMPOSE_COMMAND is not set: run these tests with npm run test:compose');
  return JSON.parse(chosen) as string[];
}

/**
 * One compose project of the test's own (`-p`), on a variant's files: what a user types, run
 * with the engine's own CLI, and the facts about its containers read from that CLI.
 */
export class ComposeProject {
  private readonly files: string[];

  constructor(
    readonly name: string,
    readonly variant: ComposeVariant,
    private readonly env: Record<string, string | undefined> = {},
  ) {
    this.files = COMPOSE_FILES[variant];
  }

  /** The command line a user would type for `args`, for the log. */
  commandLine(args: string[]): string {
    return [...composeCommand(), '-p', this.name, ...this.files.flatMap((file) => ['-f', file]), ...args].join(' ');
  }

  /** Runs compose with `args`; rejects with what it printed unless it exits 0 (or `allowFailure`). */
  async compose(args: string[], { allowFailure = false, timeoutMs = 600_000 } = {}): Promise<CommandResult> {
    const [command, ...prefix] = composeCommand();
    const result = await runCommand(command, [...prefix, '-p', this.name, ...this.files.flatMap((file) => ['-f', file]), ...args], {
      env: { ...process.env, ...this.env },
      timeoutMs,
    });
    if (result.code !== 0 && !allowFailure) {
      throw new Error(`${this.commandLine(args)} exited ${result.code}:\n${(result.stderr || result.stdout).slice(-4000)}`);
    }
    return result;
  }

  /** `docker <args>`: the engine's CLI, for facts compose does not give. */
  async engine(args: string[], { allowFailure = false } = {}): Promise<CommandResult> {
    const result = await runCommand('docker', args, { timeoutMs: 120_000 });
    if (result.code !== 0 && !allowFailure) throw new Error(`docker ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-2000)}`);
    return result;
  }

  /** The ids of `service`'s containers, running or stopped. */
  async containers(service: string): Promise<string[]> {
    // -a: stopped containers too (Compose v2 lists only running ones without it).
    const { stdout } = await this.compose(['ps', '-a', '-q', service]);
    return stdout.split('\n').filter((line) => line.trim() !== '');
  }

  /** One field of a container, as `docker inspect --format` reads it. */
  async inspect(container: string, format: string): Promise<string> {
    return (await this.engine(['inspect', '--format', format, container])).stdout.trim();
  }

  /** `healthy`, `unhealthy` or `starting` for each container of `service`. */
  async health(service: string): Promise<string[]> {
    const containers = await this.containers(service);
    return Promise.all(containers.map((container) => this.inspect(container, '{{.State.Health.Status}}')));
  }

  /** Waits until every container of each of `services` reports `status`. */
  async waitUntil(status: 'healthy' | 'unhealthy', services: string[], timeoutMs = 180_000): Promise<void> {
    await waitFor(
      `${services.join(', ')} to be ${status}`,
      async () => {
        for (const service of services) {
          const health = await this.health(service);
          if (health.length === 0 || health.some((state) => state !== status)) return false;
        }
        return true;
      },
      { timeoutMs, intervalMs: 1000 },
    );
  }

  /** What `service`'s containers logged, each line prefixed with its container (`billing-worker_2 | …`). */
  async logs(service: string): Promise<string> {
    return (await this.compose(['logs', '--no-color', service])).stdout;
  }

  /** Runs `command` in `service`'s first container (as its own user). */
  async exec(service: string, command: string[]): Promise<CommandResult> {
    return this.compose(['exec', '-T', service, ...command], { allowFailure: true });
  }

  /** Everything of this project gone, its volumes too; never throws. */
  async down(): Promise<void> {
    const result = await this.compose(['down', '-v', '--remove-orphans'], { allowFailure: true, timeoutMs: 180_000 });
    if (result.code !== 0) console.error(`${this.commandLine(['down', '-v', '--remove-orphans'])} exited ${result.code}: ${result.stderr}`);
  }
}

/**
 * Registers the steps of a walk-through as tests that run in order, each printed with its time
 * by the spec reporter. After a failed step the rest are skipped: they would only fail for it.
 */
export function steps(): (name: string, timeoutMs: number, run: () => Promise<void>) => void {
  let failed: string | undefined;
  return (name, timeoutMs, run) =>
    it(name, { timeout: timeoutMs }, async (t) => {
      if (failed) return t.skip(`skipped: "${failed}" failed`);
      try {
        await run();
      } catch (error) {
        failed = name;
        throw error;
      }
    });
}

/** Fetches from the host, as a user's browser or curl would; the answer and its body as text. */
export async function get(url: string, init: RequestInit = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}
