import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Server, createServer } from 'node:http';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, workspaceRoot } from '@onebip/testing';

const PROBE = join(workspaceRoot(), 'tools/docker/healthcheck.js');

/** Runs the image's probe as compose does (`node healthcheck.js`, PORT from the container's environment). */
function probe(port: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PROBE], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const servers: Server[] = [];
after(() => servers.forEach((server) => server.close()));
async function serve(answer: (path: string, reply: (status: number) => void) => void): Promise<number> {
  const server = createServer((request, response) => answer(request.url ?? '', (status) => response.writeHead(status).end('{}')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe("the image's health probe (tools/docker/healthcheck.js)", () => {
  it('passes when the app on $PORT answers 2xx to GET /health/ready', async () => {
    const asked: string[] = [];
    const port = await serve((path, reply) => {
      asked.push(path);
      reply(200);
    });
    assert.equal((await probe(port)).code, 0);
    assert.deepEqual(asked, ['/health/ready']);
  });

  it('fails when the app is up but not ready (503: a store is down)', async () => {
    const port = await serve((_path, reply) => reply(503));
    const { code, stderr } = await probe(port);
    assert.equal(code, 1);
    assert.match(stderr, /answered 503/);
  });

  it('fails when nothing listens on $PORT', async () => {
    const { code, stderr } = await probe(await freePort());
    assert.equal(code, 1);
    assert.match(stderr, /ECONNREFUSED/);
  });

  it('gives up by its own timeout when the app never answers, rather than waiting for compose to kill it', async () => {
    const port = await serve(() => undefined);
    const { code, stderr } = await probe(port);
    assert.equal(code, 1);
    assert.match(stderr, /TimeoutError/);
  });
});
