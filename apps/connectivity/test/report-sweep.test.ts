import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it, mock } from 'node:test';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  ScriptedAnswer,
  ScriptedReceiver,
  deferredCleanups,
  deleteRedisKeys,
  readJson,
  scratchDatabase,
  testRedisUrl,
  uniquePrefix,
  waitFor,
} from '@onebip/testing';
import { ConnectivityConfig } from '../src/config/connectivity-config';
import { Message, MessagesService } from '../src/messages';
import { ConnectivityJobs } from '../src/sms/connectivity-jobs';
import { UnacknowledgedReportSweeper } from '../src/sms/unacknowledged-report.sweeper';
import { UnsentSmsSweeper } from '../src/sms/unsent-sms.sweeper';
import { TestConnectivity, buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

// The second hole docs/guarantees.md used to name, found again by the model (docs/model.md,
// `report_reaches_billing`): a delivery report whose job Redis lost was never sent, and billing's
// copy of the message stayed `sent`. And the first hole's pattern at connectivity, which the model
// found too: a message whose SMS job failed for good while settling it aborted stayed `accepted`.

const defer = deferredCleanups();

/** A database and a Redis key prefix of this test's own, shared by the connectivity processes it starts: each sweep sees this test's messages alone. */
function stores() {
  const database = scratchDatabase('connectivity');
  defer(() => database.drop());
  const queuePrefix = uniquePrefix('report-sweep');
  defer(() => deleteRedisKeys(testRedisUrl(), queuePrefix));
  return { databaseUrl: database.url, queuePrefix };
}

async function connectivity(overrides: Partial<ConnectivityConfig>, carrierAnswers: ScriptedAnswer[] = []): Promise<TestConnectivity> {
  const carrier = await ScriptedReceiver.start(carrierAnswers, 202);
  const started = await startTestConnectivity(overrides, carrier);
  defer(() => started.close());
  return started;
}

async function sender(otherwise: ScriptedAnswer, port?: number): Promise<ScriptedReceiver> {
  const started = await ScriptedReceiver.start([], otherwise, port);
  defer(() => started.stop());
  return started;
}

const callbacks = (retryFirstWaitSeconds: number) => ({
  allowedHosts: [],
  retryFirstWaitSeconds,
  retryUpToSeconds: 3600,
  sweepIntervalMs: 3_600_000,
  sweepUnacknowledgedAfterMs: 0,
});

/** The message as connectivity's API shows it. */
async function messageAt(app: TestConnectivity, messageUrl: string): Promise<{ status: string; report: string | null }> {
  return readJson(await getSigned(`${app.url}/messages?message=${encodeURIComponent(messageUrl)}`));
}

describe('the report sweep', () => {
  it('sends the report of a message whose report job Redis lost, once, and records that the sender acknowledged it', async () => {
    const { databaseUrl, queuePrefix } = stores();
    // The sender (billing) is down for now: its first answer is 503, and the retry waits 5 s.
    const down = await sender(503);
    const port = Number(new URL(down.url).port);
    const messageUrl = `${down.url}/messages/${randomUUID()}`;
    const first = await connectivity({ databaseUrl, queuePrefix, callbacks: callbacks(5) });
    assert.equal((await postJson(`${first.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }))).status, 202);
    await waitFor('the first report attempt', () => down.requests.length > 0);
    assert.equal((await messageAt(first, messageUrl)).report, 'owed');

    // Connectivity stops and Redis loses every job, the report's among them; billing comes back.
    await first.close();
    await deleteRedisKeys(testRedisUrl(), queuePrefix);
    await down.stop();
    const billing = await sender(202, port);
    const second = await connectivity({ databaseUrl, queuePrefix, callbacks: callbacks(5) });
    const sweeper = second.app.get(UnacknowledgedReportSweeper);

    assert.equal(await sweeper.sweepUnacknowledgedReports(), 1, 'the owed report is found');
    await sweeper.sweepUnacknowledgedReports();
    await waitFor('the report acknowledged', async () => (await messageAt(second, messageUrl)).report === 'acknowledged');
    assert.equal(billing.requests.length, 1, 'billing got the report once');
    assert.deepEqual(JSON.parse(billing.requests[0].body), { message: messageUrl, status: 'delivered', at: JSON.parse(billing.requests[0].body).at });
    assert.equal(await sweeper.sweepUnacknowledgedReports(), 0, 'nothing left to sweep');
    assert.equal(second.carrier.requests.length, 0, 'the SMS is not sent again');
  });

  it('a report the sender answers 409 counts as acknowledged; one it refuses for good is recorded as given up, and neither is swept', async () => {
    const { databaseUrl, queuePrefix } = stores();
    const replayed = await sender(409);
    const refused = await sender(404);
    const app = await connectivity({ databaseUrl, queuePrefix, callbacks: callbacks(0.02) });
    const toReplayed = `${replayed.url}/messages/${randomUUID()}`;
    const toRefused = `${refused.url}/messages/${randomUUID()}`;
    for (const messageUrl of [toReplayed, toRefused]) {
      assert.equal((await postJson(`${app.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }))).status, 202);
    }

    await waitFor('the report answered 409 acknowledged', async () => (await messageAt(app, toReplayed)).report === 'acknowledged');
    await waitFor('the report refused given up', async () => (await messageAt(app, toRefused)).report === 'given-up');
    assert.equal(await app.app.get(UnacknowledgedReportSweeper).sweepUnacknowledgedReports(), 0);
    assert.deepEqual([replayed.requests.length, refused.requests.length], [1, 1]);
  });
});

describe('the SMS sweep, after an SMS job failed for good unsettled', () => {
  it('when PostgreSQL refuses to settle the message at the SMS last attempt, the sweep retries its job and the message ends delivered', async () => {
    const { databaseUrl, queuePrefix } = stores();
    const billing = await sender(202);
    const messageUrl = `${billing.url}/messages/${randomUUID()}`;
    // Two attempts: the carrier answers 503, then takes the SMS; settling it then aborts.
    const carrier = await ScriptedReceiver.start([503], 202);
    const app = await startTestConnectivity(
      {
        databaseUrl,
        queuePrefix,
        smsGateway: { url: `${carrier.url}/sms`, retryFirstWaitSeconds: 0.02, retryUpToSeconds: 0.02, sweepIntervalMs: 3_600_000, sweepAcceptedAfterMs: 0 },
      },
      carrier,
    );
    defer(() => app.close());
    const database = app.app.get(DataSource);
    await database.query(`CREATE FUNCTION refuse_settling() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status <> 'accepted' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await database.query(`CREATE TRIGGER refuse_settling BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION refuse_settling()`);

    assert.equal((await postJson(`${app.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }))).status, 202);
    const smsQueue = app.app.get(UnsentSmsSweeper);
    const smsJobId = app.app.get(ConnectivityJobs).smsJobFor({ messageUrl, phoneNumber: '393331234567', text: '' }).jobId;
    await waitFor('the SMS job to fail for good', async () => (await app.app.get(Queue).getJobState(smsJobId)) === 'failed');
    assert.equal(carrier.requests.length, 2);
    const status = async () => (await messageAt(app, messageUrl)).status;
    assert.equal(await status(), 'accepted', 'the carrier took the SMS, but connectivity never recorded it');
    await database.query('DROP TRIGGER refuse_settling ON messages');

    assert.equal(await smsQueue.sweepUnsentSms(), 1);

    await waitFor('the message delivered', async () => (await status()) === 'delivered');
    await waitFor('the report', () => billing.requests.length === 1);
    assert.equal(carrier.requests.length, 3, 'the retried job calls the carrier once more: the bound docs/guarantees.md gives');
    assert.equal(await smsQueue.sweepUnsentSms(), 0);
  });
});

// The race the model found (docs/model.md, "The carrier bound"): a sweep reads a row still waiting,
// the worker then records the outcome and BullMQ fails the job; finding the job failed, the sweep
// reads the row again before it retries, and leaves alone a row no longer waiting.
describe('a sweep that read a row before its outcome was recorded', () => {
  /** Makes `method` of connectivity's MessagesService yield `rows`, as the sweep's earlier read did. */
  function readEarlier(app: TestConnectivity, method: 'acceptedOlderThan' | 'reportOwedOlderThan', rows: Message[]) {
    mock.method(app.app.get(MessagesService), method, async function* () {
      yield rows;
    });
    defer(async () => mock.restoreAll());
  }

  it('the SMS sweep does not retry the SMS job of a message settled undeliverable since: the carrier is not called again', async () => {
    const { databaseUrl, queuePrefix } = stores();
    const billing = await sender(202);
    const messageUrl = `${billing.url}/messages/${randomUUID()}`;
    const app = await connectivity({ databaseUrl, queuePrefix, callbacks: callbacks(0.02) }, [422]);
    assert.equal((await postJson(`${app.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }))).status, 202);
    const smsJobId = app.app.get(ConnectivityJobs).smsJobFor({ messageUrl, phoneNumber: '393331234567', text: '' }).jobId;
    await waitFor('the SMS job to fail for good', async () => (await app.app.get(Queue).getJobState(smsJobId)) === 'failed');
    assert.equal((await messageAt(app, messageUrl)).status, 'undeliverable');
    readEarlier(app, 'acceptedOlderThan', [{ ...(await app.app.get(MessagesService).findByUrl(messageUrl)), status: 'accepted', finalAt: null }]);

    assert.equal(await app.app.get(UnsentSmsSweeper).sweepUnsentSms(), 1, 'the sweep acts on its read');

    assert.equal(await app.app.get(Queue).getJobState(smsJobId), 'failed');
    assert.equal(app.carrier.requests.length, 1, 'the carrier refused it once, and is not asked again');
    assert.equal((await messageAt(app, messageUrl)).status, 'undeliverable');
  });

  it('the report sweep does not retry a report whose giving up was recorded since: the sender is not asked again', async () => {
    const { databaseUrl, queuePrefix } = stores();
    const refused = await sender(404);
    const messageUrl = `${refused.url}/messages/${randomUUID()}`;
    const app = await connectivity({ databaseUrl, queuePrefix, callbacks: callbacks(0.02) });
    assert.equal((await postJson(`${app.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }))).status, 202);
    await waitFor('the report given up', async () => (await messageAt(app, messageUrl)).report === 'given-up');
    readEarlier(app, 'reportOwedOlderThan', [{ ...(await app.app.get(MessagesService).findByUrl(messageUrl)), reportGivenUpAt: null }]);

    const reportJobId = app.app
      .get(ConnectivityJobs)
      .reportJobFor({ messageUrl, status: 'delivered', finalAt: null, callback: `${messageUrl}/delivery-reports` }).jobId;
    assert.equal(await app.app.get(Queue).getJobState(reportJobId), 'failed');

    assert.equal(await app.app.get(UnacknowledgedReportSweeper).sweepUnacknowledgedReports(), 1, 'the sweep acts on its read');

    assert.equal(await app.app.get(Queue).getJobState(reportJobId), 'failed', 'the dead letter stays');
    assert.equal(refused.requests.length, 1, 'the sender refused it once, and is not asked again');
    assert.equal((await messageAt(app, messageUrl)).report, 'given-up');
  });
});
