import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConnectivityConfig } from '../src/config/connectivity-config';
import { ConnectivityJobs } from '../src/sms/connectivity-jobs';
import { CarrierApiGateway } from '../src/sms/carrier-api.gateway';

const config = readConnectivityConfig({ NODE_ENV: 'test', SIMULATED_CARRIER_ENABLED: 'false', SMS_GATEWAY_URL: 'https://sms.example/v1' });
const jobs = new ConnectivityJobs(config, new CarrierApiGateway(config));
const message = { messageUrl: 'http://billing.test/messages/1', phoneNumber: '393331234567', text: 'You paid 12.99 EUR' };

// Job ids in Redis and the dead letters were made from these identities: a job queued by an
// earlier release must meet the same id when it is sent again, or its SMS would go twice.
describe('the identities of the jobs connectivity sends', () => {
  it('an SMS job is "sms " and the message URL, under the job id it always had', () => {
    const job = jobs.smsJobFor(message);

    assert.equal(job.identity, 'sms http://billing.test/messages/1');
    assert.equal(job.jobId, 'rj-CdQ-7xCmYw3_FKUIojHQ8_MpQ9kz7ewLJqSeDRlE95E');
  });

  it('a delivery report job is "report " and the message URL, under the job id it always had', () => {
    const job = jobs.reportJobFor({ ...message, status: 'delivered', finalAt: new Date(), callback: 'http://billing.test/messages/1/delivery-reports' });

    assert.equal(job.identity, 'report http://billing.test/messages/1');
    assert.equal(job.jobId, 'rj-rtCOuSks0RUMDGWp9wjx5DRNPSDZhqtnjf2D4I-3P1w');
  });
});

describe('the kind of a job, as the delivery listener learns it', () => {
  const attempt = { attempt: 1, outcome: 'delivered', detail: 'HTTP 202' } as const;

  it('each job carries its kind, into Redis', () => {
    assert.equal(jobs.smsJobFor(message).toJSON().kind, 'sms');
    assert.equal(jobs.reportJobFor({ ...message, status: 'delivered', finalAt: null, callback: 'http://billing.test/r' }).toJSON().kind, 'report');
  });

  const url = 'http://billing.test/messages/1';

  it('an attempt at an SMS or a report job names its kind and its message; the kind the job carries decides', () => {
    assert.deepEqual(ConnectivityJobs.aboutMessage({ ...attempt, kind: 'sms', identity: `sms ${url}` }), { kind: 'sms', messageUrl: url });
    assert.deepEqual(ConnectivityJobs.aboutMessage({ ...attempt, kind: 'report', identity: `report ${url}` }), { kind: 'report', messageUrl: url });
    assert.equal(ConnectivityJobs.aboutMessage({ ...attempt, kind: 'report', identity: `sms ${url}` }), undefined, 'a kind its identity contradicts');
    assert.equal(ConnectivityJobs.aboutMessage({ ...attempt, kind: 'other', identity: `other ${url}` }), undefined);
  });

  it('an attempt at a job queued before jobs carried a kind is told by its identity, as it was then', () => {
    assert.deepEqual(ConnectivityJobs.aboutMessage({ ...attempt, identity: `sms ${url}` }), { kind: 'sms', messageUrl: url });
    assert.deepEqual(ConnectivityJobs.aboutMessage({ ...attempt, identity: `report ${url}` }), { kind: 'report', messageUrl: url });
    assert.equal(ConnectivityJobs.aboutMessage({ ...attempt, identity: url }), undefined);
  });
});
