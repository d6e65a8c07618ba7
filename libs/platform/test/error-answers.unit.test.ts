import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsString, Min } from 'class-validator';
import request from 'supertest';
import { AppError, createServiceApp } from '../src';

class OrderDto {
  @IsString()
  item!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

@Controller('orders')
class OrdersController {
  @Post()
  create(@Body() order: OrderDto) {
    return { item: order.item, quantity: order.quantity };
  }

  @Post(':id/cancel')
  cancel() {
    return { cancelled: true };
  }

  @Get('taken')
  taken() {
    throw new AppError('order_taken', 409, 'this order is already taken', { by: 'someone else' });
  }

  @Get('broken')
  broken() {
    throw new Error('connection to 10.0.0.7 refused, password=hunter2');
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

// In process, with supertest: how every service answers what it refuses or fails at, through
// the app setup they share (JSON only, a body limit, DTO validation, one error filter).
describe('the answers a service app gives to bad input and failures', () => {
  let app: NestFastifyApplication;
  before(async () => {
    app = await createServiceApp(OrdersModule, { service: 'orders', logger: false, bodyLimitBytes: 1024 });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  after(() => app.close());
  const post = (body: string, type = 'application/json') => request(app.getHttpServer()).post('/orders').set('content-type', type).send(body);

  it('takes a valid body, and drops fields the DTO does not name', async () => {
    const response = await post(JSON.stringify({ item: 'sim card', quantity: 2, admin: true }));
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { item: 'sim card', quantity: 2 });
  });

  it('answers 400 invalid_request naming every field at fault', async () => {
    const response = await post(JSON.stringify({ quantity: 0 }));
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, 'invalid_request');
    assert.deepEqual(Object.keys(response.body.error.fields).sort(), ['item', 'quantity']);
  });

  it('answers 400 to malformed JSON, 415 to another content type and 413 past the body limit', async () => {
    assert.equal((await post('{"item": ')).status, 400);
    const text = await post('item=sim', 'application/x-www-form-urlencoded');
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    const large = await post(JSON.stringify({ item: 'x'.repeat(2000), quantity: 1 }));
    assert.equal(large.status, 413);
    assert.equal(large.body.error.code, 'payload_too_large');
  });

  it("keeps an AppError's status, code and details", async () => {
    const response = await request(app.getHttpServer()).get('/orders/taken');
    assert.equal(response.status, 409);
    assert.deepEqual(response.body, { error: { code: 'order_taken', message: 'this order is already taken', by: 'someone else' } });
  });

  it('answers anything else with a bare 500: no message, no stack, nothing from the error', async () => {
    const response = await request(app.getHttpServer()).get('/orders/broken');
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: { code: 'internal_error', message: 'internal error' } });
    assert.doesNotMatch(response.text, /hunter2|10\.0\.0\.7|at /);
  });

  it('answers 400 too_deep to a body nested deeper than 32 levels, before parsing it, on any route', async () => {
    const deep = await post(`${'['.repeat(200)}${']'.repeat(200)}`);
    assert.equal(deep.status, 400);
    assert.equal(deep.body.error.code, 'too_deep');
    const unclosed = await post('{"item":'.repeat(40));
    assert.equal(unclosed.body.error.code, 'too_deep', 'judged by its nesting, before it is found malformed');
    const atTheLimit = `${'['.repeat(31)}${']'.repeat(31)}`;
    assert.equal((await post(JSON.stringify({ item: atTheLimit, quantity: 1 }))).status, 201, 'brackets inside a string are text');
    assert.equal((await post(`{"item":"x","quantity":1,"extra":${'['.repeat(31)}${']'.repeat(31)}}`)).status, 201, '32 levels pass');
  });

  it('answers 400 naming the field to text Postgres cannot store: a NUL, a lone surrogate', async () => {
    const nul = await post('{"item":"sim\\u0000card","quantity":1}');
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.code, 'invalid_request');
    assert.match(nul.body.error.fields.item[0], /NUL/);
    const surrogate = await post('{"item":"sim card","quantity":1,"notes":["ok","\\ud800"]}');
    assert.equal(surrogate.status, 400);
    assert.match(surrogate.body.error.fields['notes[1]'][0], /surrogate/);
    assert.equal((await post(JSON.stringify({ item: 'sim card \u{1F4F1}', quantity: 1 }))).status, 201, 'a well-formed pair is fine');
  });

  it('takes an action with no body and no content type, as `curl -X POST` sends it', async () => {
    const response = await request(app.getHttpServer()).post('/orders/42/cancel');
    assert.equal(response.status, 201);
    assert.deepEqual(response.body, { cancelled: true });
    const text = await request(app.getHttpServer()).post('/orders/42/cancel').set('content-type', 'text/plain').send('cancel it');
    assert.equal(text.status, 415, 'a body still has to be JSON');
  });
});
