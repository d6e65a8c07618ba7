import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { workspaceRoot } from '../src';

describe('the runtime the tests run on', () => {
  it('is the Node.js major version pinned in .nvmrc, the one the image ships', () => {
    const pinned = readFileSync(join(workspaceRoot(), '.nvmrc'), 'utf8').trim();
    console.log(`node ${process.version} (pinned ${pinned})`);
    assert.equal(process.versions.node.split('.')[0], pinned.split('.')[0], 'run the tests with tools/node/use-node.sh');
    const dockerfile = readFileSync(join(workspaceRoot(), 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((match) => match[1]);
    assert.ok(bases.length >= 2, 'the Dockerfile builds and runs on a node image');
    assert.deepEqual([...new Set(bases)], [pinned.split('.')[0]], 'every stage of the image is on the same major version');
  });
});
