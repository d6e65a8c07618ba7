import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { parse } from 'yaml';
import { serviceNames } from '../src/service-name.ts';
import { addBoundary, addComposeService, addReadmeLine, nextFreePort } from '../src/workspace-edits.ts';

const COMPOSE = `# The demo stack.
services:
  postgres:
    image: postgres:15

  connectivity:
    build: .
    image: onebip-http-messaging:local
    command: node dist/apps/connectivity/main.js
    environment:
      PORT: "3002"
      MESSAGING_SECRETS: \${MESSAGING_SECRETS:-local-secret}
    ports:
      - "127.0.0.1:3002:3002"
    # Its probe.
    healthcheck:
      test: ["CMD", "node", "healthcheck.js"]

# Kept between runs.
volumes:
  postgres-data:
`;

function workspace(files: Record<string, string>): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const [path, content] of Object.entries(files)) tree.write(path, content);
  return tree;
}

describe('the port of a new service', () => {
  it('is the first after 3003 that no compose file uses, as PORT or published', () => {
    assert.equal(nextFreePort(workspace({ 'docker-compose.yml': COMPOSE })), 3004);
    const taken = workspace({
      'docker-compose.yml': COMPOSE,
      'docker-compose.production.yml': 'services:\n  a:\n    environment:\n      PORT: "3004"\n  b:\n    ports:\n      - "127.0.0.1:3005:8080"\n',
    });
    assert.equal(nextFreePort(taken), 3006);
  });
});

describe('the compose service of a new service', () => {
  it('comes after the last service, from the same image and secrets, leaving the rest of the file as it was', () => {
    const tree = workspace({ 'docker-compose.yml': COMPOSE });
    addComposeService(tree, serviceNames('fraud-checks'), 3004);
    const text = tree.read('docker-compose.yml', 'utf-8')!;
    assert.ok(text.startsWith(COMPOSE.slice(0, COMPOSE.indexOf('# Kept between runs.'))), 'everything before the new service is untouched');
    assert.ok(text.endsWith('\n# Kept between runs.\nvolumes:\n  postgres-data:\n'));
    const service = parse(text).services['fraud-checks'];
    assert.equal(service.image, 'onebip-http-messaging:local');
    assert.equal(service.command, 'node dist/apps/fraud-checks/main.js');
    assert.equal(service.environment.DATABASE_URL, 'postgres://postgres@postgres:5432/fraud_checks');
    assert.equal(service.environment.MESSAGING_SECRETS, '${MESSAGING_SECRETS:-local-secret}');
    assert.deepEqual(service.ports, ['127.0.0.1:3004:3004']);
  });

  it('is added to the real docker-compose.yml, which still parses', () => {
    const tree = workspace({ 'docker-compose.yml': readFileSync('docker-compose.yml', 'utf8') });
    const before = Object.keys(parse(tree.read('docker-compose.yml', 'utf-8')!).services);
    addComposeService(tree, serviceNames('notifications'), 3004);
    assert.deepEqual(Object.keys(parse(tree.read('docker-compose.yml', 'utf-8')!).services), [...before, 'notifications']);
  });

  it('is refused when the file has a service of that name', () => {
    const tree = workspace({ 'docker-compose.yml': COMPOSE });
    assert.throws(() => addComposeService(tree, serviceNames('connectivity'), 3004), /already has a service named connectivity/);
  });
});

describe('the module boundary of a new service', () => {
  it('lets scope:<name> depend on itself and the shared libraries, next to the other rules', () => {
    const tree = workspace({ 'eslint.config.mjs': readFileSync('eslint.config.mjs', 'utf8') });
    addBoundary(tree, serviceNames('fraud-checks'));
    addBoundary(tree, serviceNames('fraud-checks'));
    const config = tree.read('eslint.config.mjs', 'utf-8')!;
    const rule = "            { sourceTag: 'scope:fraud-checks', onlyDependOnLibsWithTags: ['scope:fraud-checks', 'scope:shared'] },\n";
    assert.equal(config.split(rule).length, 2, 'once, indented like its neighbours');
    assert.ok(config.indexOf(rule) < config.indexOf("{ sourceTag: 'scope:shared'"));
  });
});

describe("the README's line for a new service", () => {
  it('follows the last app of the layout and its continuation lines, in the same column', () => {
    const tree = workspace({ 'README.md': readFileSync('README.md', 'utf8') });
    addReadmeLine(tree, serviceNames('notifications'));
    const lines = tree.read('README.md', 'utf-8')!.split('\n');
    const at = lines.findIndex((line) => line.startsWith('apps/notifications '));
    assert.match(lines[at - 1], /^ {21}\S/, 'after the last continuation line of the app before');
    assert.match(lines[at + 1], /^libs\//);
    assert.equal(lines[at].indexOf('POST'), lines.find((line) => line.startsWith('apps/connectivity'))!.indexOf('POST'));
  });
});
