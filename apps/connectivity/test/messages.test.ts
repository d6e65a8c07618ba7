import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { readJson } from '@onebip/testing';
import { TestConnectivity, buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

let connectivity: TestConnectivity;
let app: NestFastifyApplication;
let baseUrl: string;
let database: DataSource;

async function storedCount(messageUrl: string): Promise<number> {
  const [{ count }] = await database.query('SELECT count(*)::int AS count FROM messages WHERE message_url = $1', [messageUrl]);
  return count;
}

before(async () => {
  connectivity = await startTestConnectivity();
  ({ app, url: baseUrl } = connectivity);
  database = app.get(DataSource);
});
after(() => connectivity.close());

describe('POST /messages', () => {
  it('stores a new message and answers 202 with its Location and id', async () => {
    const message = buildMessage();
    const response = await postJson(`${baseUrl}/messages`, message);
    assert.equal(response.status, 202);
    const { id } = await readJson(response);
    assert.equal(response.headers.get('location'), `/messages/${id}`);
    assert.equal(await storedCount(message.message), 1);
  });

  it('answers a replay of the same message URL with 409 and the stored Location, storing nothing twice', async () => {
    const message = buildMessage();
    const first = await postJson(`${baseUrl}/messages`, message);
    const replay = await postJson(`${baseUrl}/messages`, message);
    assert.equal(replay.status, 409);
    assert.equal(replay.headers.get('location'), first.headers.get('location'));
    assert.equal((await readJson(replay)).error.code, 'duplicate_message');
    assert.equal(await storedCount(message.message), 1);
  });

  it('given 50 simultaneous POSTs of one URL, answers one 202 and 49 409s, and stores it once', async () => {
    const message = buildMessage();
    const responses = await Promise.all(Array.from({ length: 50 }, () => postJson(`${baseUrl}/messages`, message)));
    const statuses = responses.map((response) => response.status);
    assert.equal(statuses.filter((status) => status === 202).length, 1);
    assert.equal(statuses.filter((status) => status === 409).length, 49);
    assert.equal(new Set(responses.map((response) => response.headers.get('location'))).size, 1);
    assert.equal(await storedCount(message.message), 1);
  });

  it('answers an invalid body with 400 naming every field at fault, and stores nothing', async () => {
    const message = buildMessage({ text: '', phoneNumber: 'not-a-number', message: 'ftp://elsewhere/1' });
    const response = await postJson(`${baseUrl}/messages`, message);
    assert.equal(response.status, 400);
    const { error } = await readJson(response);
    assert.equal(error.code, 'invalid_request');
    assert.deepEqual(Object.keys(error.fields).sort(), ['message', 'phoneNumber', 'text']);
    assert.equal(await storedCount(message.message), 0);
  });

  it('answers a missing body field with 400 naming it', async () => {
    const { text, message } = buildMessage();
    const response = await postJson(`${baseUrl}/messages`, { text, message });
    assert.equal(response.status, 400);
    assert.deepEqual(Object.keys((await readJson(response)).error.fields), ['phoneNumber']);
  });
});

describe('GET /messages', () => {
  it('returns a stored message by id and by its URL', async () => {
    const message = buildMessage();
    const { id } = await readJson(await postJson(`${baseUrl}/messages`, message));
    const byId = await readJson(await getSigned(`${baseUrl}/messages/${id}`));
    const byUrl = await readJson(await getSigned(`${baseUrl}/messages?message=${encodeURIComponent(message.message)}`));
    assert.equal(byUrl.id, byId.id);
    assert.equal(byId.id, id);
    assert.equal(byId.message, message.message);
    assert.equal(byId.text, message.text);
    assert.equal(byId.phoneNumber, message.phoneNumber);
    // The stand-in carrier takes the SMS at once: the message may already be final.
    assert.ok(['accepted', 'delivered'].includes(byId.status), byId.status);
    assert.ok(!Number.isNaN(Date.parse(byId.receivedAt)));
  });

  it('answers 404 for a message it does not have', async () => {
    assert.equal((await getSigned(`${baseUrl}/messages/00000000-0000-4000-8000-000000000000`)).status, 404);
    assert.equal((await getSigned(`${baseUrl}/messages/not-an-id`)).status, 404);
    assert.equal((await getSigned(`${baseUrl}/messages?message=${encodeURIComponent('http://nowhere.test/1')}`)).status, 404);
  });
});
