import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { deferredCleanups, deleteRedisKeys, readJson, scratchDatabase, testRedisUrl, uniquePrefix, waitFor } from '@onebip/testing';
import { buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

// PostgreSQL aborting a write for a passing reason is one of the faults the protocol's model
// allows at every write (docs/model.md, f_abort): 503 with Retry-After, never a 500, nothing
// half-stored, and the sender's retry goes through.

const defer = deferredCleanups();

describe('a message whose insert PostgreSQL aborts', () => {
  it('is answered 503 with Retry-After and stored nowhere; the sender’s retry is stored once, 202', async () => {
    const database = scratchDatabase('connectivity');
    defer(() => database.drop());
    const queuePrefix = uniquePrefix('aborted-writes');
    defer(() => deleteRedisKeys(testRedisUrl(), queuePrefix));
    const connectivity = await startTestConnectivity({ databaseUrl: database.url, queuePrefix });
    defer(() => connectivity.close());
    const dataSource = connectivity.app.get(DataSource);
    // As a deadlock would: SQLSTATE 40P01.
    await dataSource.query(`CREATE FUNCTION abort_inserts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'aborted by the test' USING ERRCODE = 'deadlock_detected'; END $$`);
    await dataSource.query('CREATE TRIGGER abort_inserts BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION abort_inserts()');
    const message = buildMessage();

    const aborted = await postJson(`${connectivity.url}/messages`, message);
    assert.equal(aborted.status, 503);
    assert.equal(aborted.headers.get('retry-after'), '1');
    assert.equal((await readJson(aborted)).error.code, 'store_unavailable');
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM messages');
    assert.equal(count, 0);

    await dataSource.query('DROP TRIGGER abort_inserts ON messages');
    assert.equal((await postJson(`${connectivity.url}/messages`, message)).status, 202);
    await waitFor('the SMS sent', async () => {
      const stored = await readJson(await getSigned(`${connectivity.url}/messages?message=${encodeURIComponent(message.message)}`));
      return stored.status === 'delivered';
    });
    assert.equal(connectivity.carrier.requests.length, 1);
  });
});
