import { logger } from '@nx/devkit';
import type { Tree } from '@nx/devkit';
import { parse } from 'yaml';
import type { ServiceNames } from './service-name.ts';

const ESLINT_CONFIG = 'eslint.config.mjs';
const COMPOSE_FILE = 'docker-compose.yml';
const PRODUCTION_COMPOSE_FILE = 'docker-compose.production.yml';
const README = 'README.md';

/** Ports below this one are taken by the seed: billing 3001, connectivity 3002, the stand-in carrier 3003. */
const LAST_SEED_PORT = 3003;

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string;
  environment?: Record<string, string> | string[];
  ports?: (string | { published?: string | number; target?: number })[];
}

/** The first port after 3003 that no service of any docker-compose*.yml uses, inside or published. */
export function nextFreePort(tree: Tree): number {
  const used = new Set<number>();
  for (const file of tree.children('').filter((child) => /^docker-compose.*\.ya?ml$/.test(child))) {
    for (const service of Object.values(composeServices(tree, file))) {
      const port = environmentOf(service).PORT;
      if (port) used.add(Number(port));
      for (const mapping of service.ports ?? []) {
        const numbers = typeof mapping === 'string' ? mapping.split(':').map(Number) : [Number(mapping.published), Number(mapping.target)];
        for (const number of numbers) if (Number.isInteger(number)) used.add(number);
      }
    }
  }
  let port = LAST_SEED_PORT + 1;
  while (used.has(port)) port += 1;
  return port;
}

/**
 * Adds the app's rule to the module boundaries: `scope:<name>` depends only on itself and the
 * shared libraries, so no other app's code can creep in.
 */
export function addBoundary(tree: Tree, { name }: ServiceNames): void {
  const config = tree.read(ESLINT_CONFIG, 'utf-8');
  if (config === null) return logger.warn(`${ESLINT_CONFIG} is missing: no module boundary was added for scope:${name}`);
  if (config.includes(`sourceTag: 'scope:${name}'`)) return;
  const shared = /^([ \t]*)\{ sourceTag: 'scope:shared',/m.exec(config);
  if (!shared) throw new Error(`${ESLINT_CONFIG} has no depConstraint for scope:shared to add scope:${name} before: add its rule by hand`);
  const rule = `${shared[1]}{ sourceTag: 'scope:${name}', onlyDependOnLibsWithTags: ['scope:${name}', 'scope:shared'] },\n`;
  tree.write(ESLINT_CONFIG, config.slice(0, shared.index) + rule + config.slice(shared.index));
}

/**
 * Adds the app to docker-compose.yml, from the image the other apps run, on `port`: a block of
 * text inserted after the last service, so the file's comments and layout stay as they are;
 * then checks that the result still parses and has the service.
 */
export function addComposeService(tree: Tree, names: ServiceNames, port: number): void {
  const { name, snakeName } = names;
  const text = tree.read(COMPOSE_FILE, 'utf-8');
  if (text === null) return logger.warn(`${COMPOSE_FILE} is missing: no compose service was added for ${name}`);
  const services = composeServices(tree, COMPOSE_FILE);
  if (services[name]) throw new Error(`${COMPOSE_FILE} already has a service named ${name}: choose another name, or remove it first`);
  const built = Object.values(services).find((service) => service.build !== undefined && service.image);
  const secrets = Object.values(services)
    .map((service) => environmentOf(service).MESSAGING_SECRETS)
    .find((value) => value !== undefined);
  if (!built?.image || !secrets)
    throw new Error(`${COMPOSE_FILE} has no app service (built from the image, with MESSAGING_SECRETS) to copy: add ${name} by hand`);
  const block = [
    `  ${name}:`,
    `    build:`,
    `      context: .`,
    `      target: demo`,
    `    image: ${built.image}`,
    `    command: node dist/apps/${name}/main.js`,
    `    environment:`,
    `      NODE_ENV: development`,
    `      PORT: "${port}"`,
    `      HOST: 0.0.0.0`,
    `      DATABASE_URL: postgres://postgres@postgres:5432/${snakeName}`,
    `      REDIS_URL: redis://redis:6379`,
    `      MESSAGING_SECRETS: ${secrets}`,
    `    ports:`,
    `      - "127.0.0.1:${port}:${port}"`,
    `    depends_on:`,
    `      postgres:`,
    `        condition: service_healthy`,
    `      redis:`,
    `        condition: service_healthy`,
    `    healthcheck:`,
    `      test: ["CMD", "node", "healthcheck.js"]`,
    `      interval: 10s`,
    `      timeout: 5s`,
    `      retries: 3`,
    `      start_period: 20s`,
  ].join('\n');
  const updated = withServiceBlock(text, block);
  if (updated === undefined) throw new Error(`${COMPOSE_FILE} has no top-level services: add ${name} by hand`);
  const added = (parse(updated) as { services?: Record<string, ComposeService> }).services?.[name];
  if (added?.command !== `node dist/apps/${name}/main.js`)
    throw new Error(`adding ${name} to ${COMPOSE_FILE} did not give the service expected: add it by hand`);
  tree.write(COMPOSE_FILE, updated);
  addProductionComposeService(tree, names);
}

/**
 * Adds the app's production settings to docker-compose.production.yml, as billing's and
 * connectivity's are there: the image's production target, NODE_ENV=production, the stores'
 * passwords and the secrets demanded from the environment, a read-only root filesystem.
 */
function addProductionComposeService(tree: Tree, { name, snakeName }: ServiceNames): void {
  const text = tree.read(PRODUCTION_COMPOSE_FILE, 'utf-8');
  if (text === null) return logger.warn(`${PRODUCTION_COMPOSE_FILE} is missing: add ${name}'s production settings by hand`);
  const block = [
    `  ${name}:`,
    `    build:`,
    `      context: .`,
    `      target: production`,
    `    image: onebip-http-messaging:production`,
    `    environment:`,
    `      NODE_ENV: production`,
    `      ADMIN_UI_ENABLED: "false"`,
    `      DATABASE_URL: postgres://postgres:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/${snakeName}`,
    `      REDIS_URL: redis://:\${REDIS_PASSWORD:?set REDIS_PASSWORD}@redis:6379`,
    `      MESSAGING_SECRETS: \${MESSAGING_SECRETS:?set MESSAGING_SECRETS}`,
    `    read_only: true`,
    `    tmpfs:`,
    `      - /tmp`,
    `    restart: unless-stopped`,
  ].join('\n');
  const updated = withServiceBlock(text, block);
  if (updated === undefined) return logger.warn(`${PRODUCTION_COMPOSE_FILE} has no top-level services: add ${name}'s production settings by hand`);
  const added = (parse(updated) as { services?: Record<string, ComposeService> }).services?.[name];
  if (added?.environment === undefined) throw new Error(`adding ${name} to ${PRODUCTION_COMPOSE_FILE} did not give the service expected: add it by hand`);
  tree.write(PRODUCTION_COMPOSE_FILE, updated);
}

/**
 * `text`, a compose file, with `block` inserted after its last service, so that the file's
 * comments and layout stay as they are; undefined when it has no top-level `services:`.
 */
function withServiceBlock(text: string, block: string): string | undefined {
  const lines = text.split('\n');
  const servicesAt = lines.findIndex((line) => /^services:\s*$/.test(line));
  if (servicesAt === -1) return undefined;
  // The services end where the next top-level key (volumes:, networks:) or its comment begins.
  let end = lines.findIndex((line, index) => index > servicesAt && /^[^\s#]/.test(line));
  if (end === -1) end = lines.length;
  while (end > servicesAt + 1 && /^(#.*)?\s*$/.test(lines[end - 1])) end -= 1;
  lines.splice(end, 0, '', block);
  return lines.join('\n');
}

/** Adds the app to the README's layout, after the last `apps/…` entry and its continuation lines. */
export function addReadmeLine(tree: Tree, { name }: ServiceNames): void {
  const text = tree.read(README, 'utf-8');
  const lines = text?.split('\n') ?? [];
  const last = lines.findLastIndex((line) => /^apps\/\S+ {2,}\S/.test(line));
  if (last === -1) return logger.warn(`${README} has no list of apps/: add apps/${name} to it by hand`);
  const column = lines[last].search(/ \S/) + 1;
  let at = last + 1;
  while (at < lines.length && lines[at].startsWith(' '.repeat(column))) at += 1;
  const path = `apps/${name}`;
  const description = `POST /${name}-requests (202, or 409 on replay), GET /${name}-requests/:id; made by npm run new:service`;
  lines.splice(at, 0, `${path}${' '.repeat(Math.max(2, column - path.length))}${description}`);
  tree.write(README, lines.join('\n'));
}

function composeServices(tree: Tree, file: string): Record<string, ComposeService> {
  const parsed = parse(tree.read(file, 'utf-8') ?? '') as { services?: Record<string, ComposeService> } | null;
  return parsed?.services ?? {};
}

/** A service's environment as a map, whichever of compose's two forms it is written in. */
function environmentOf(service: ComposeService): Record<string, string | undefined> {
  const { environment } = service;
  if (!Array.isArray(environment)) return environment ?? {};
  return Object.fromEntries(environment.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
}
