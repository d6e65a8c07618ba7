import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { DataSource } from 'typeorm';
import { signedFetch } from '@onebip/messaging';
import { ScriptedReceiver, TEST_SECRET, deferredCleanups, readJson, waitFor } from '@onebip/testing';
import { Message, MessagesService } from '../src/messages';
import { PendingMessageSweeper } from '../src/messages/pending-message.sweeper';
import { TestBilling, messageAt, pay, startTestBilling } from './billing-app';

// The first hole docs/guarantees.md used to name, found again by the model (docs/model.md,
// `committed_settles`): a message whose job failed for good without billing recording it stayed
// `pending` while the failed job held its id for a week, so every sweep's add was a no-op.

const defer = deferredCleanups();

/** Billing whose policy makes two attempts, delivering to `receiver`. */
async function setUp(script: (number | 'hang')[]): Promise<{ receiver: ScriptedReceiver; billing: TestBilling }> {
  const receiver = await ScriptedReceiver.start(script, 202);
  defer(() => receiver.stop());
  const billing = await startTestBilling(receiver.url, { delivery: { backoffFirstWaitSeconds: 0.02, backoffUpToSeconds: 0.02 } });
  defer(() => billing.close());
  return { receiver, billing };
}

const deadLetters = async (billing: TestBilling): Promise<{ identity: string }[]> =>
  (await readJson(await signedFetch(`${billing.url}/admin/dead-letters`, [TEST_SECRET]))).deadLetters;

/** Makes PostgreSQL refuse to record attempt `n` of any message, as an aborted write would. */
async function refuseRecordingAttempt(database: DataSource, n: number): Promise<() => Promise<void>> {
  await database.query(`CREATE FUNCTION refuse_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.kind = 'attempt' AND NEW.attempt = ${n} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
  await database.query(`CREATE TRIGGER refuse_attempt BEFORE INSERT ON message_events FOR EACH ROW EXECUTE FUNCTION refuse_attempt()`);
  return async () => {
    await database.query('DROP TRIGGER refuse_attempt ON message_events');
    await database.query('DROP FUNCTION refuse_attempt()');
  };
}

describe('the pending-message sweep, after a job failed for good unrecorded', () => {
  it('when PostgreSQL refuses the record of the last attempt, the sweep sends the message again and it ends sent, with no dead letter left', async () => {
    // Attempt 1 gets 503; attempt 2 reaches connectivity (202), but recording it aborts: the job
    // runs out of attempts and fails for good while the message is still pending.
    const { receiver, billing } = await setUp([503, 202]);
    const database = billing.app.get(DataSource);
    const allowRecording = await refuseRecordingAttempt(database, 2);
    const { message: messageUrl } = await readJson(await pay(billing.url));
    await waitFor('the job to fail for good', async () => (await deadLetters(billing)).some((letter) => letter.identity === messageUrl));
    const stuck = await messageAt(billing.url, messageUrl);
    assert.deepEqual([stuck.status, stuck.attempts], ['pending', 1], 'billing never learned of attempt 2');
    assert.equal(receiver.requests.length, 2);
    await allowRecording();

    assert.equal(await billing.app.get(PendingMessageSweeper).sweepPendingMessages(), 1);

    const sent = await waitFor('the message sent', async () => {
      const message = await messageAt(billing.url, messageUrl);
      return message.status === 'sent' && message;
    });
    assert.equal(sent.attempts, 2, 'the retried job made one more attempt');
    assert.equal(receiver.requests.length, 3, 'one more request, which connectivity answers as it would a replay');
    assert.deepEqual(await deadLetters(billing), [], 'status and dead letters agree');
    assert.equal(await billing.app.get(PendingMessageSweeper).sweepPendingMessages(), 0, 'nothing left to sweep');
  });

  it('when a redrive stops between putting the message back to pending and retrying its job, the sweep finishes it', async () => {
    const { billing } = await setUp([422]);
    const { message: messageUrl } = await readJson(await pay(billing.url));
    await waitFor('the message to fail', async () => (await messageAt(billing.url, messageUrl)).status === 'failed');
    // The first half of DeadLettersService.retry, and then the process dies.
    assert.equal(await billing.app.get(MessagesService).markPending(messageUrl), true);

    assert.equal(await billing.app.get(PendingMessageSweeper).sweepPendingMessages(), 1);

    await waitFor('the message sent', async () => (await messageAt(billing.url, messageUrl)).status === 'sent');
    assert.deepEqual(await deadLetters(billing), []);
  });

  it('leaves failed a message whose give-up was recorded after the sweep read it pending: only an operator sends it again', async () => {
    // The race the model found (docs/model.md, "The carrier bound"): the sweep reads the message
    // pending, then its last attempt gives up, recorded (failed) before BullMQ fails the job; the
    // sweep, finding the job failed, must not retry it on its earlier read.
    const { receiver, billing } = await setUp([422]);
    const { message: messageUrl } = await readJson(await pay(billing.url));
    await waitFor('the message to fail', async () => (await messageAt(billing.url, messageUrl)).status === 'failed');
    await waitFor('the dead letter', async () => (await deadLetters(billing)).some((letter) => letter.identity === messageUrl));
    const messages = billing.app.get(MessagesService);
    const readBeforeTheGiveUp: Message = { ...(await messages.findById(messageUrl.split('/').pop() as string)), status: 'pending' };
    mock.method(messages, 'pendingOlderThan', async function* () {
      yield [readBeforeTheGiveUp];
    });
    defer(async () => mock.restoreAll());

    assert.equal(await billing.app.get(PendingMessageSweeper).sweepPendingMessages(), 1, 'the sweep acts on its read');

    assert.equal((await messageAt(billing.url, messageUrl)).status, 'failed');
    assert.equal((await deadLetters(billing)).filter((letter) => letter.identity === messageUrl).length, 1, 'the dead letter stays for the operator');
    assert.equal(receiver.requests.length, 1, 'nothing is sent again');
  });
});
