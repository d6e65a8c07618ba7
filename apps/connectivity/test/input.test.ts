import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { readJson } from '@onebip/testing';
import { TestConnectivity, buildMessage, postJson, signed, startTestConnectivity } from './connectivity-app';

let connectivity: TestConnectivity;
let app: NestFastifyApplication;
let baseUrl: string;
let database: DataSource;
before(async () => {
  connectivity = await startTestConnectivity({ bodyLimitBytes: 4096 });
  ({ app, url: baseUrl } = connectivity);
  database = app.get(DataSource);
});
after(() => connectivity.close());

async function stored(messageUrl: string): Promise<{ text: string; phone_number: string }[]> {
  return database.query('SELECT text, phone_number FROM messages WHERE message_url = $1', [messageUrl]);
}

async function rawPost(body: string, contentType: string): Promise<Response> {
  const url = `${baseUrl}/messages`;
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType, 'x-authentication': signed('POST', url, body) }, body });
}

describe('strict input at POST /messages', () => {
  it('answers 415 to a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      assert.equal((await rawPost('text=hello', type)).status, 415, type);
    }
  });

  it('answers 400 to malformed JSON', async () => {
    const response = await rawPost('{"text": "Hello", ', 'application/json');
    assert.equal(response.status, 400);
    assert.equal((await readJson(response)).error.code, 'bad_request');
  });

  it('answers 413 to a body over the limit', async () => {
    const message = buildMessage({ text: 'x'.repeat(5000) });
    const response = await postJson(`${baseUrl}/messages`, message);
    assert.equal(response.status, 413);
    assert.deepEqual(await stored(message.message), []);
  });

  it('answers 400 naming each field at fault, for every kind of fault', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ text: '' }, ['text']],
      [{ text: 'x'.repeat(1601) }, ['text']],
      [{ text: 42 }, ['text']],
      [{ phoneNumber: '12345' }, ['phoneNumber']],
      [{ phoneNumber: '1234567890123456' }, ['phoneNumber']],
      [{ phoneNumber: '39 333 1234567' }, ['phoneNumber']],
      [{ message: 'mailto:someone@example.com' }, ['message']],
      [{ message: '/messages/123' }, ['message']],
      [{ message: `http://billing.test/${'m'.repeat(2048)}` }, ['message']],
      [{ text: null, phoneNumber: null, message: null }, ['message', 'phoneNumber', 'text']],
    ];
    for (const [overrides, fields] of cases) {
      const message = buildMessage(overrides);
      const response = await postJson(`${baseUrl}/messages`, message);
      assert.equal(response.status, 400, JSON.stringify(overrides).slice(0, 80));
      assert.deepEqual(Object.keys((await readJson(response)).error.fields).sort(), fields);
    }
  });

  it('answers 400 to JSON that is not an object', async () => {
    for (const body of ['[]', '"hello"', '42', 'null', 'true']) {
      const response = await rawPost(body, 'application/json');
      assert.equal(response.status, 400, body);
    }
  });

  it('accepts the limits themselves, a leading + and unknown fields (a tolerant reader)', async () => {
    const message = buildMessage({ text: 'x'.repeat(1600), phoneNumber: '+123456', futureField: { nested: true } });
    const response = await postJson(`${baseUrl}/messages`, message);
    assert.equal(response.status, 202);
  });

  it('answers 422 when a message URL comes again with another text or phone number, changing nothing', async () => {
    const message = buildMessage();
    assert.equal((await postJson(`${baseUrl}/messages`, message)).status, 202);
    for (const changed of [
      { ...message, text: 'You paid 99.99 EUR' },
      { ...message, phoneNumber: '393339999999' },
    ]) {
      const response = await postJson(`${baseUrl}/messages`, changed);
      assert.equal(response.status, 422);
      assert.equal((await readJson(response)).error.code, 'conflicting_message');
    }
    assert.deepEqual(await stored(message.message), [{ text: message.text, phone_number: message.phoneNumber }]);
  });
});

describe('the phonenumber → phoneNumber rename, every payload shape a sender emits', () => {
  const shapes: [string, (phone: string) => Record<string, string>][] = [
    ['step 1: the old name alone', (phone) => ({ phonenumber: phone })],
    ['step 2: both names', (phone) => ({ phonenumber: phone, phoneNumber: phone })],
    ['step 4: the new name alone', (phone) => ({ phoneNumber: phone })],
  ];
  for (const [step, fields] of shapes) {
    it(`accepts ${step}, storing the phone number`, async () => {
      const { text, message } = buildMessage();
      const response = await postJson(`${baseUrl}/messages`, { text, message, ...fields('393331234567') });
      assert.equal(response.status, 202);
      assert.deepEqual(await stored(message), [{ text, phone_number: '393331234567' }]);
    });
  }

  it('answers 400 when both names come and disagree, storing nothing', async () => {
    const { text, message } = buildMessage();
    const response = await postJson(`${baseUrl}/messages`, { text, message, phoneNumber: '393331234567', phonenumber: '393330000000' });
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys((await readJson(response)).error.fields), ['phonenumber']);
    assert.deepEqual(await stored(message), []);
  });

  it('a replay in another step’s shape is the same message: 409', async () => {
    const { text, message } = buildMessage();
    assert.equal((await postJson(`${baseUrl}/messages`, { text, message, phonenumber: '393331234567' })).status, 202);
    assert.equal((await postJson(`${baseUrl}/messages`, { text, message, phoneNumber: '393331234567' })).status, 409);
  });
});
