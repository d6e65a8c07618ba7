import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { readJson } from '@onebip/testing';
import { TestConnectivity, buildMessage, postJson, signed, startTestConnectivity } from './connectivity-app';

const OLD = 'old-secret-0123456789';
const NEW = 'new-secret-9876543210';

let connectivity: TestConnectivity;
let app: NestFastifyApplication;
let baseUrl: string;
let database: DataSource;
before(async () => {
  connectivity = await startTestConnectivity();
  ({ app, url: baseUrl } = connectivity);
  database = app.get(DataSource);
});
after(() => connectivity.close());

async function isStored(messageUrl: string): Promise<boolean> {
  const rows = await database.query('SELECT 1 FROM messages WHERE message_url = $1', [messageUrl]);
  return rows.length > 0;
}

/** POSTs `message` with an X-Authentication header built by `header(url, body)`. */
async function postWith(header: (url: string, body: string) => string | undefined, message = buildMessage()) {
  const url = `${baseUrl}/messages`;
  const body = JSON.stringify(message);
  const value = header(url, body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(value === undefined ? {} : { 'x-authentication': value }) },
    body,
  });
  return { response, message, json: await readJson(response) };
}

describe('X-Authentication on connectivity', () => {
  const refusals: [string, (url: string, body: string) => string | undefined, string][] = [
    ['no header', () => undefined, 'missing_header'],
    ['a malformed header', () => 'Bearer letmein', 'malformed_header'],
    ['a wrong secret', (url, body) => signed('POST', url, body, ['not-the-shared-secret']), 'signature_mismatch'],
    ['a body changed after signing', (url, body) => signed('POST', url, body.replace('You paid', 'You owe')), 'signature_mismatch'],
    ['a path changed after signing', (url, body) => signed('POST', `${url}?to=elsewhere`, body), 'signature_mismatch'],
    ['a timestamp 10 minutes old', (url, body) => signed('POST', url, body, undefined, Date.now() - 600_000), 'timestamp_out_of_tolerance'],
    ['a timestamp 10 minutes ahead', (url, body) => signed('POST', url, body, undefined, Date.now() + 600_000), 'timestamp_out_of_tolerance'],
  ];
  for (const [what, header, reason] of refusals) {
    it(`refuses ${what} with 401 (${reason}) and stores nothing`, async () => {
      const { response, message, json } = await postWith(header);
      assert.equal(response.status, 401);
      assert.equal(json.error.code, 'unauthenticated');
      assert.equal(json.error.reason, reason);
      assert.doesNotMatch(JSON.stringify(json), /test-secret|[0-9a-f]{64}/, 'no secret or signature is echoed');
      assert.equal(await isStored(message.message), false);
    });
  }

  it('guards the GET endpoints too', async () => {
    assert.equal((await fetch(`${baseUrl}/messages/00000000-0000-4000-8000-000000000000`)).status, 401);
    assert.equal((await fetch(`${baseUrl}/messages?message=x`)).status, 401);
  });

  it('accepts a request signed with the shared secret', async () => {
    const response = await postJson(`${baseUrl}/messages`, buildMessage());
    assert.equal(response.status, 202);
  });
});

describe('secret rotation', () => {
  it('a sender holding the old and new secrets is accepted by a receiver holding either one', async () => {
    for (const receiverSecrets of [[OLD], [NEW], [OLD, NEW]]) {
      const receiver = await startTestConnectivity({ messaging: { secrets: receiverSecrets, clockToleranceSeconds: 300 } });
      try {
        const url = `${receiver.url}/messages`;
        const body = JSON.stringify(buildMessage());
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-authentication': signed('POST', url, body, [OLD, NEW]) },
          body,
        });
        assert.equal(response.status, 202, `receiver holding ${receiverSecrets.length} secret(s)`);
        const stale = JSON.stringify(buildMessage());
        const staleSender = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-authentication': signed('POST', url, stale, ['a-retired-secret-000000']) },
          body: stale,
        });
        assert.equal(staleSender.status, 401);
      } finally {
        await receiver.close();
      }
    }
  });
});
