import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ScriptedAnswer, ScriptedReceiver, deferredCleanups, readJson, waitFor } from '@onebip/testing';
import { buildMessage, getSigned, postJson, startTestConnectivity } from './connectivity-app';

const defer = deferredCleanups();

/** Connectivity with a carrier answering `carrierAnswers`, and a sender whose message URLs live at `sender.url`. */
async function connectivityWithCarrier(...carrierAnswers: ScriptedAnswer[]) {
  const sender = await ScriptedReceiver.start([], 202);
  defer(() => sender.stop());
  const carrier = await ScriptedReceiver.start(carrierAnswers.slice(0, -1), carrierAnswers.at(-1) ?? 202);
  const connectivity = await startTestConnectivity({}, carrier);
  defer(() => connectivity.close());
  const messageUrl = `${sender.url}/messages/${randomUUID()}`;
  return { sender, carrier, connectivity, messageUrl };
}

async function statusOf(connectivityUrl: string, messageUrl: string): Promise<string> {
  return (await readJson(await getSigned(`${connectivityUrl}/messages?message=${encodeURIComponent(messageUrl)}`))).status;
}

describe('the end of an SMS job', () => {
  it('when the carrier takes the SMS, the message ends delivered and the sender gets one signed report at its callback', async () => {
    const { sender, carrier, connectivity, messageUrl } = await connectivityWithCarrier(202);
    const callback = `${messageUrl}/delivery-reports`;

    assert.equal((await postJson(`${connectivity.url}/messages`, buildMessage({ message: messageUrl, callback }))).status, 202);

    const [report] = await waitFor('the delivery report', () => sender.requests.length > 0 && sender.requests);
    assert.equal(await statusOf(connectivity.url, messageUrl), 'delivered');
    assert.equal(carrier.requests.length, 1);
    assert.equal(report.method, 'POST');
    assert.equal(`${sender.url}${report.url}`, callback);
    assert.ok(report.headers['x-authentication'], 'the report is signed');
    const { message, status, at } = JSON.parse(report.body);
    assert.deepEqual({ message, status }, { message: messageUrl, status: 'delivered' });
    assert.ok(!Number.isNaN(Date.parse(at)));
    assert.equal(sender.requests.length, 1);
  });

  it('when the carrier refuses the SMS for good, the message ends undeliverable and the report says so', async () => {
    const { sender, connectivity, messageUrl } = await connectivityWithCarrier(422);

    await postJson(`${connectivity.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }));

    const [report] = await waitFor('the delivery report', () => sender.requests.length > 0 && sender.requests);
    assert.equal(JSON.parse(report.body).status, 'undeliverable');
    assert.equal(await statusOf(connectivity.url, messageUrl), 'undeliverable');
  });

  it('when the carrier fails for a while, the SMS is sent again until it gets through, and without a callback no report goes', async () => {
    const { sender, carrier, connectivity, messageUrl } = await connectivityWithCarrier(503, 503, 202);

    await postJson(`${connectivity.url}/messages`, buildMessage({ message: messageUrl }));

    await waitFor('the message delivered', async () => (await statusOf(connectivity.url, messageUrl)) === 'delivered');
    assert.equal(carrier.requests.length, 3);
    assert.equal(sender.requests.length, 0, 'no callback, no report');
  });

  it('when the carrier takes the SMS and its answer is lost, the job calls it again: twice in all, within the bound docs/guarantees.md gives', async () => {
    const { carrier, connectivity, messageUrl } = await connectivityWithCarrier('reset', 202);

    await postJson(`${connectivity.url}/messages`, buildMessage({ message: messageUrl }));

    await waitFor('the message delivered', async () => (await statusOf(connectivity.url, messageUrl)) === 'delivered');
    assert.equal(carrier.requests.length, 2, 'the carrier is no idempotent receiver: each call may send an SMS');
  });

  it('when the sender’s answer to a report is lost, the report is sent again, and its 409 counts as acknowledged', async () => {
    const sender = await ScriptedReceiver.start(['reset'], 409);
    defer(() => sender.stop());
    const connectivity = await startTestConnectivity({});
    defer(() => connectivity.close());
    const messageUrl = `${sender.url}/messages/${randomUUID()}`;

    await postJson(`${connectivity.url}/messages`, buildMessage({ message: messageUrl, callback: `${messageUrl}/delivery-reports` }));

    await waitFor('the report acknowledged', async () => {
      const message = await readJson(await getSigned(`${connectivity.url}/messages?message=${encodeURIComponent(messageUrl)}`));
      return message.report === 'acknowledged';
    });
    assert.equal(sender.requests.length, 2);
  });
});
