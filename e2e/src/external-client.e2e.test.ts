import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '@onebip/testing';
import { RunningSystem } from './support/running-system';

let system: RunningSystem;
before(async () => {
  system = await RunningSystem.start();
});
after(() => system.stop());

/** Runs docs/examples/post-signed-message.sh: signing by hand with openssl, as docs/protocol.md says. */
function postFromOutside(secret: string, messageUrl: string): string {
  const result = spawnSync('bash', ['docs/examples/post-signed-message.sh', system.connectivityUrl, messageUrl], {
    env: { PATH: process.env.PATH, SECRET: secret },
    encoding: 'utf8',
    timeout: 15_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe('a client outside this codebase, following docs/protocol.md', () => {
  it('is accepted when it signs with the shared secret, and refused with another', async () => {
    const messageUrl = `http://partner.example/messages/${randomUUID()}`;
    assert.equal(postFromOutside('not-the-shared-secret-at-all', messageUrl), '401');
    assert.equal(postFromOutside(TEST_SECRET, messageUrl), '202');
    assert.equal(postFromOutside(TEST_SECRET, messageUrl), '409');
    const stored = await system.connectivityMessage(messageUrl);
    assert.equal(stored.text, 'Hello world');
  });
});
