import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Headers, Logger, Module, Param } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MetricsModule, createServiceApp } from '../src';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

@Controller('things')
class ThingsController {
  private readonly logger = new Logger('Things');

  /** Logs what a careless handler might: the credentials it was called with. */
  @Get('careless/log')
  careless(@Headers('authorization') authorization: string, @Headers('x-authentication') signature: string) {
    this.logger.log({ msg: 'called with', headers: { authorization, 'x-authentication': signature } });
    return {};
  }

  @Get(':id')
  async show(@Param('id') id: string) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.logger.log(`showing thing ${id}`);
    return { id };
  }
}

@Module({ imports: [MetricsModule.serve({ onServicePort: true })], controllers: [ThingsController] })
class ThingsModule {}

describe('a service app', () => {
  let app: NestFastifyApplication;
  let url: string;
  const output = new PassThrough();
  let logged = '';
  output.on('data', (chunk) => (logged += chunk));
  const lines = () =>
    logged
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));

  before(async () => {
    app = await createServiceApp(ThingsModule, {
      service: 'things',
      logDestination: output,
      adminUi: { enabled: true, credentials: { user: 'ops', password: 'open-sesame' } },
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(() => app.close());

  it('logs JSON lines that carry the correlation id of the traceparent it was called with', async () => {
    const response = await fetch(`${url}/things/7`, {
      headers: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`, 'x-authentication': 't=1,v1=deadbeefsignature', authorization: 'Bearer secret-token' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), TRACE_ID, 'the id is echoed back');
    const ours = lines().filter((line) => line.correlationId === TRACE_ID);
    assert.ok(
      ours.some((line) => line.context === 'Things' && line.msg === 'showing thing 7' && line.service === 'things'),
      'the handler line',
    );
    assert.ok(
      ours.some((line) => line.route === '/things/:id' && line.status === 200 && typeof line.durationMs === 'number'),
      'the request line',
    );
    assert.doesNotMatch(logged, /deadbeefsignature|secret-token/, 'no credential reaches the logs');
  });

  it('redacts credentials even when a handler logs the headers that carry them', async () => {
    await fetch(`${url}/things/careless/log`, { headers: { authorization: 'Basic b3BzOnNlY3JldC1wYXNz', 'x-authentication': 't=1,v1=cafebabesignature' } });
    const line = lines().find((candidate) => candidate.msg === 'called with');
    assert.deepEqual(line?.headers, { authorization: '[redacted]', 'x-authentication': '[redacted]' });
    assert.doesNotMatch(logged, /b3BzOnNlY3JldC1wYXNz|cafebabesignature/);
  });

  it('gives a request without any id a fresh one, and two requests two ids', async () => {
    const [first, second] = await Promise.all([fetch(`${url}/things/1`), fetch(`${url}/things/2`)]);
    const [a, b] = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    assert.match(a ?? '', /^[0-9a-f]{32}$/);
    assert.notEqual(a, b);
    assert.ok(lines().some((line) => line.correlationId === b && line.msg === 'showing thing 2'));
  });

  it('measures HTTP durations by route pattern and status, beside the process metrics', async () => {
    await fetch(`${url}/things/8`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status="200"\} [1-9]/);
    assert.match(metrics, /^process_resident_memory_bytes \d+/m);
  });

  it('asks for the admin credentials on the admin pages only', async () => {
    const anonymous = await fetch(`${url}/admin/queues`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm="admin"/);
    const wrong = await fetch(`${url}/demo`, { headers: { authorization: `Basic ${Buffer.from('ops:guess').toString('base64')}` } });
    assert.equal(wrong.status, 401);
    const right = await fetch(`${url}/demo`, { headers: { authorization: `Basic ${Buffer.from('ops:open-sesame').toString('base64')}` } });
    assert.equal(right.status, 404, 'past the check (this app has no demo page)');
    for (const encoded of ['/%61dmin/queues', '/admin/%71ueues', '/%64emo', '/d%65mo/api/state']) {
      assert.equal((await fetch(`${url}${encoded}`)).status, 401, `${encoded} is the same page, percent-encoded`);
    }
    assert.equal((await fetch(`${url}/things/9`)).status, 200, 'other routes ask nothing');
  });
});
