import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createServiceApp } from '@onebip/platform';
import { ServiceAuthenticationModule, SignedByPeers, authenticationHeader, verifyPeersBeforeParsing } from '../src';

const SECRET = 'guard-secret-0123456789abcdef';

const OPTIONS = { secrets: [SECRET], clockToleranceSeconds: 300 };

@Controller('probe')
@SignedByPeers()
class ProbeController {
  @Post()
  take(@Body() body: unknown) {
    return { received: body };
  }

  @Get('status')
  status() {
    return { ok: true };
  }
}

@Controller('open')
class OpenController {
  @Post()
  take(@Body() body: unknown) {
    return { received: body };
  }

  @Post('signed')
  @SignedByPeers()
  takeSigned(@Body() body: unknown) {
    return { received: body };
  }
}

@Module({ imports: [ServiceAuthenticationModule.forRoot(OPTIONS)], controllers: [ProbeController, OpenController] })
class ProbeModule {}

const now = () => Math.floor(Date.now() / 1000);
const sign = (method: string, path: string, body: string, secrets = [SECRET], at = now()) => authenticationHeader(secrets, at, { method, path, body });

// In process, with supertest: @SignedByPeers() inside the app setup every service uses (raw body
// kept, checked before parsing, one error filter), with no port, no database and no Redis.
describe('@SignedByPeers() routes in a service app', () => {
  let app: NestFastifyApplication;
  before(async () => {
    app = await createServiceApp(ProbeModule, { service: 'probe', logger: false, beforeParsing: verifyPeersBeforeParsing(OPTIONS) });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  after(() => app.close());
  const http = () => request(app.getHttpServer());

  it('lets in a request signed over the bytes as sent, whitespace and key order included', async () => {
    const body = '{ "b": 2,   "a": 1 }';
    const response = await http()
      .post('/probe')
      .set('content-type', 'application/json')
      .set('x-authentication', sign('POST', '/probe', body))
      .send(body);
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { received: { b: 2, a: 1 } });
  });

  it('signs the query string with the path: the same signature on another query is refused', async () => {
    const header = sign('GET', '/probe/status?page=1', '');
    assert.equal((await http().get('/probe/status?page=1').set('x-authentication', header)).status, 200);
    const moved = await http().get('/probe/status?page=2').set('x-authentication', header);
    assert.equal(moved.status, 401);
    assert.equal(moved.body.error.reason, 'signature_mismatch');
  });

  const refusals: [string, (body: string) => string | undefined, string][] = [
    ['no header', () => undefined, 'missing_header'],
    ['a header of another scheme', () => 'Bearer letmein', 'malformed_header'],
    ['another secret', (body) => sign('POST', '/probe', body, ['a-secret-it-does-not-hold']), 'signature_mismatch'],
    ['a body re-serialized after signing', (body) => sign('POST', '/probe', JSON.stringify(JSON.parse(body))), 'signature_mismatch'],
    ['a timestamp 10 minutes old', (body) => sign('POST', '/probe', body, [SECRET], now() - 600), 'timestamp_out_of_tolerance'],
  ];
  for (const [what, header, reason] of refusals) {
    it(`answers 401 ${reason} to ${what}, echoing no signature`, async () => {
      const body = '{"text": "hello"}';
      const value = header(body);
      const pending = http().post('/probe').set('content-type', 'application/json');
      const response = await (value === undefined ? pending : pending.set('x-authentication', value)).send(body);
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'unauthenticated');
      assert.equal(response.body.error.reason, reason);
      assert.doesNotMatch(response.text, /[0-9a-f]{64}|guard-secret/);
    });
  }

  it('checks the signature on the raw bytes before parsing: an unsigned body is refused unread, however it is built', async () => {
    const deep = `${'['.repeat(100)}${']'.repeat(100)}`;
    for (const body of [deep, '{"text": "a\\u0000b"}', '{not json']) {
      const response = await http().post('/probe').set('content-type', 'application/json').send(body);
      assert.equal(response.status, 401, body.slice(0, 20));
      assert.equal(response.body.error.reason, 'missing_header');
    }
    const signedDeep = await http()
      .post('/probe')
      .set('content-type', 'application/json')
      .set('x-authentication', sign('POST', '/probe', deep))
      .send(deep);
    assert.equal(signedDeep.body.error.code, 'too_deep', 'a signed body is parsed, with the same limits');
  });

  it('marks one route of an open controller, and leaves its other routes open', async () => {
    const body = '{"a":1}';
    assert.equal((await http().post('/open').set('content-type', 'application/json').send(body)).status, 201);
    assert.equal((await http().post('/open/signed').set('content-type', 'application/json').send(body)).status, 401);
    const signed = await http()
      .post('/open/signed')
      .set('content-type', 'application/json')
      .set('x-authentication', sign('POST', '/open/signed', body))
      .send(body);
    assert.equal(signed.status, 201);
  });
});
