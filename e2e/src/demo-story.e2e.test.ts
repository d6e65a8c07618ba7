import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

// `npm run demo` tells the talk's story with the built apps and checks every claim it makes (its
// own ports, the databases billing_demo and connectivity_demo, Redis database 2): here it runs as a
// user runs it, and must exit 0, its fifth act (events) included.
describe('npm run demo', () => {
  it('tells the whole story, five acts, and every claim holds', { timeout: 180_000 }, async () => {
    const child = spawn(process.execPath, ['dist/tools/demo/main.js'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    for (const act of ['== 1.', '== 2.', '== 3.', '== 4.', '== 5. Events']) assert.ok(out.includes(act), `${act} in:\n${out}`);
    assert.doesNotMatch(out, /\bFAIL\b/);
  });
});
