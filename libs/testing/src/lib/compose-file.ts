import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestContext } from 'node:test';

/** What a test says when it cannot check docker-compose.yml. */
export const DOCKER_COMPOSE_MISSING =
  "docker-compose is not installed: install Debian's docker-compose (apt-get install docker-compose) to check docker-compose.yml";

/** A service of docker-compose.yml as `docker-compose config` resolves it. */
export interface ComposeService {
  build?: string | { context: string; dockerfile?: string; target?: string };
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number | string; published?: number | string; host_ip?: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  read_only?: boolean;
  tmpfs?: string | string[];
}

/**
 * Which settings of the stack: `development`, docker-compose.yml alone (the demo); `production`,
 * with docker-compose.production.yml over it.
 */
export type ComposeVariant = 'development' | 'production';

/** The files `docker-compose -f … -f …` reads for each variant. */
export const COMPOSE_FILES: Record<ComposeVariant, string[]> = {
  development: ['docker-compose.yml'],
  production: ['docker-compose.yml', 'docker-compose.production.yml'],
};

/**
 * What the production variant demands from the environment (compose refuses to start without
 * them); stand-in values of the right shape, for reading the resolved files in tests.
 */
export const PRODUCTION_STAND_INS: Record<string, string> = {
  MESSAGING_SECRETS: 'stand-in-messaging-secret-0123456789',
  POSTGRES_PASSWORD: 'standinpassword0123456789',
  REDIS_PASSWORD: 'standinredispassword0123456789',
};

/** docker-compose.yml as `docker-compose config` resolves it. */
export interface ComposeConfig {
  services: Record<string, ComposeService>;
}

/** A port a service publishes: `published` on the host, forwarded to `target` in the container. */
export interface PublishedPort {
  /** The host address the port is published on; undefined: every interface. */
  hostIp?: string;
  published: number;
  target: number;
}

/** The workspace root (the folder holding nx.json), where docker-compose.yml lives. */
export function workspaceRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

/**
 * Runs docker-compose on `variant`'s files. Only PATH and HOME pass from this process, and `env`:
 * the files' own defaults are checked, not this shell's exports.
 */
export function runDockerCompose(args: string[], variant: ComposeVariant = 'development', extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...extraEnv };
    const files = COMPOSE_FILES[variant].flatMap((file) => ['-f', file]);
    execFile('docker-compose', [...files, ...args], { cwd: workspaceRoot(), env }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(DOCKER_COMPOSE_MISSING));
      reject(new Error(`docker-compose ${args.join(' ')} failed (exit ${error.code}):\n${stderr.trim()}`));
    });
  });
}

let installed: Promise<boolean> | undefined;

function dockerComposeInstalled(): Promise<boolean> {
  installed ??= new Promise((resolve) =>
    execFile('docker-compose', ['version'], (error) => resolve(!error || (error as NodeJS.ErrnoException).code !== 'ENOENT')),
  );
  return installed;
}

function runningOnCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * Resolves true when docker-compose can run. Otherwise fails the test on CI (where the file must
 * be checked) and skips it elsewhere, both saying how to install docker-compose.
 */
export async function ensureDockerCompose(t: TestContext): Promise<boolean> {
  if (await dockerComposeInstalled()) return true;
  if (runningOnCi()) throw new Error(DOCKER_COMPOSE_MISSING);
  t.skip(DOCKER_COMPOSE_MISSING);
  return false;
}

/** The environment a variant's files are read with: the production one demands its secrets. */
function variantEnvironment(variant: ComposeVariant): Record<string, string> {
  return variant === 'production' ? PRODUCTION_STAND_INS : {};
}

/** Runs `docker-compose config -q`: resolves if docker-compose accepts the files, else rejects with its complaint. */
export async function validateComposeFile(variant: ComposeVariant = 'development'): Promise<void> {
  await runDockerCompose(['config', '-q'], variant, variantEnvironment(variant));
}

const resolvedConfigs = new Map<ComposeVariant, Promise<ComposeConfig>>();

/** A variant's files as `docker-compose config` resolves them (read once per process). */
export function composeConfig(variant: ComposeVariant = 'development'): Promise<ComposeConfig> {
  // yaml is a dev dependency, loaded only here: the demo bundles this lib and runs without it.
  if (!resolvedConfigs.has(variant)) {
    const output = runDockerCompose(['config'], variant, variantEnvironment(variant));
    resolvedConfigs.set(
      variant,
      Promise.all([output, import('yaml')]).then(([text, { parse }]) => parse(text) as ComposeConfig),
    );
  }
  return resolvedConfigs.get(variant)!;
}

/** One service of a variant's files; rejects when there is none of that name. */
export async function composeService(service: string, variant: ComposeVariant = 'development'): Promise<ComposeService> {
  const { services } = await composeConfig(variant);
  const found = services?.[service];
  if (!found) throw new Error(`docker-compose.yml has no service ${service} (it has ${Object.keys(services ?? {}).join(', ')})`);
  return found;
}

/**
 * The environment compose gives `service`'s container, as strings. A variable listed without a
 * value (passed through from the host) maps to ''.
 */
export async function composeServiceEnvironment(service: string, variant: ComposeVariant = 'development'): Promise<Record<string, string>> {
  const { environment = {} } = await composeService(service, variant);
  const entries = Array.isArray(environment)
    ? environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/**
 * The variables a Dockerfile stage sets with ENV, its own and those of the stages it is built
 * FROM (the image the apps run in), such as NODE_ENV=production: `target` names the stage, the
 * last one by default, as `docker build` does. Values are taken literally, without `$VAR` substitution.
 */
export function dockerfileEnvironment(dockerfile = join(workspaceRoot(), 'Dockerfile'), target?: string): Record<string, string> {
  const instructions = readFileSync(dockerfile, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim());
  const stages: { name?: string; from: string; env: Record<string, string> }[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2], env: {} });
    const match = /^ENV\s+(.*)$/i.exec(line);
    if (!match || stages.length === 0) continue;
    const env = stages[stages.length - 1].env;
    const [, rest] = match;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(rest)) {
      for (const [, name, value] of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
        env[name] = /^["']/.test(value) ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
      }
    } else {
      // The old form: ENV NAME value with spaces.
      const [name, ...value] = rest.split(/\s+/);
      env[name] = value.join(' ');
    }
  }
  let stage = target === undefined ? stages[stages.length - 1] : stages.find(({ name }) => name === target);
  if (!stage) throw new Error(`${dockerfile} has no stage ${target}`);
  const chain = [];
  for (; stage; stage = stages.find(({ name }) => name === stage!.from)) chain.unshift(stage);
  return Object.assign({}, ...chain.map(({ env }) => env));
}

/**
 * The environment `service`'s app sees in its container: the image's ENV (from the Dockerfile it
 * is built from) overridden by what compose sets. Rejects for a service not built from ./Dockerfile.
 */
export async function composeContainerEnvironment(service: string, variant: ComposeVariant = 'development'): Promise<Record<string, string>> {
  const { build } = await composeService(service, variant);
  const context = typeof build === 'string' ? build : build?.context;
  const dockerfile = typeof build === 'object' ? (build.dockerfile ?? 'Dockerfile') : 'Dockerfile';
  if (context === undefined || resolve(workspaceRoot(), context) !== workspaceRoot() || dockerfile !== 'Dockerfile') {
    throw new Error(`${service} is not built from the workspace's Dockerfile: its image's environment is unknown`);
  }
  const target = typeof build === 'object' ? build.target : undefined;
  return { ...dockerfileEnvironment(undefined, target), ...(await composeServiceEnvironment(service, variant)) };
}

/** The ports `service` publishes, whichever syntax the file or docker-compose's version uses. */
export async function composeServicePorts(service: string, variant: ComposeVariant = 'development'): Promise<PublishedPort[]> {
  const { ports = [] } = await composeService(service, variant);
  return ports.map((port) => {
    if (typeof port === 'object') return { hostIp: port.host_ip, published: Number(port.published), target: Number(port.target) };
    // Short syntax: [host_ip:]published:target[/protocol], or a lone container port.
    const parts = String(port)
      .replace(/\/\w+$/, '')
      .split(':');
    const target = Number(parts.at(-1));
    return { hostIp: parts.length > 2 ? parts.slice(0, -2).join(':') : undefined, published: parts.length > 1 ? Number(parts.at(-2)) : Number.NaN, target };
  });
}

/**
 * The variables `reader` reads when given `env`, sorted, whether it accepts their values or
 * throws; found by handing it a Proxy over `env` that records every name looked up.
 */
export function readVariablesUsed<E extends Record<string, string | undefined>>(reader: (env: E) => unknown, env: E): string[] {
  const used = new Set<string>();
  let enumerated = false;
  const recorder = new Proxy(env, {
    get(target, name, receiver) {
      if (typeof name === 'string') used.add(name);
      return Reflect.get(target, name, receiver);
    },
    has(target, name) {
      if (typeof name === 'string') used.add(name);
      return Reflect.has(target, name);
    },
    ownKeys(target) {
      enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
  try {
    reader(recorder);
  } catch {
    // A rejected value was still read; whether the reader accepts the values is another assertion's.
  }
  // A reader that lists the environment may use any variable: no set of names would be the truth.
  if (enumerated) throw new Error('readVariablesUsed: the reader enumerates the environment, so the variables it uses cannot be told');
  return [...used].sort();
}

/** The variables .env.example documents: its `NAME=value` lines. */
export function envExampleVariables(): string[] {
  const text = readFileSync(join(workspaceRoot(), '.env.example'), 'utf8');
  return [...text.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map(([, name]) => name).sort();
}
