import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, deferredCleanups, readJson, waitFor } from '@onebip/testing';
import { messageAt, pay, startTestBilling } from './billing-app';

// PostgreSQL aborting a write for a passing reason (a statement timeout, a cancel, a deadlock, a
// serialization failure) is one of the faults the protocol's model allows at every write
// (docs/model.md, f_abort): the request is answered 503 with Retry-After, never a 500, and the
// sender's retry goes through.

const defer = deferredCleanups();

describe('a delivery report whose record PostgreSQL aborts', () => {
  it('is answered 503 with Retry-After, changes nothing, and the sender’s retry is recorded', async () => {
    const connectivity = await ScriptedReceiver.start([], 202);
    defer(() => connectivity.stop());
    const billing = await startTestBilling(connectivity.url);
    defer(() => billing.close());
    const { message: messageUrl } = await readJson(await pay(billing.url));
    await waitFor('the message sent', async () => (await messageAt(billing.url, messageUrl)).status === 'sent');
    const database = billing.app.get(DataSource);
    // As a statement_timeout or pg_cancel_backend would: SQLSTATE 57014, query_canceled.
    await database.query(`CREATE FUNCTION abort_reports() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.kind = 'report' THEN RAISE EXCEPTION 'canceled by the test' USING ERRCODE = 'query_canceled'; END IF; RETURN NEW; END $$`);
    await database.query('CREATE TRIGGER abort_reports BEFORE INSERT ON message_events FOR EACH ROW EXECUTE FUNCTION abort_reports()');
    const report = () =>
      signedFetch(`${messageUrl}/delivery-reports`.replace('http://billing.test', billing.url), [TEST_SECRET], {
        method: 'POST',
        body: JSON.stringify({ message: messageUrl, status: 'delivered', at: new Date().toISOString() }),
      });

    const aborted = await report();
    assert.equal(aborted.status, 503);
    assert.equal(aborted.headers.get('retry-after'), '1');
    assert.equal((await readJson(aborted)).error.code, 'store_unavailable');
    assert.equal((await messageAt(billing.url, messageUrl)).status, 'sent', 'the report’s one statement changed nothing');

    await database.query('DROP TRIGGER abort_reports ON message_events');
    assert.equal((await report()).status, 202);
    assert.equal((await messageAt(billing.url, messageUrl)).status, 'delivered');
    assert.equal((await report()).status, 409);
  });
});
