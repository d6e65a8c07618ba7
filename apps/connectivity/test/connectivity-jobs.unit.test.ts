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

  it('an attempt at an SMS job names its message; the kind the job carries decides, not its identity', () => {
    assert.equal(
      ConnectivityJobs.messageUrlOfSms({ ...attempt, kind: 'sms', identity: 'sms http://billing.test/messages/1' }),
      'http://billing.test/messages/1',
    );
    assert.equal(ConnectivityJobs.messageUrlOfSms({ ...attempt, kind: 'report', identity: 'report http://billing.test/messages/1' }), undefined);
    assert.equal(ConnectivityJobs.messageUrlOfSms({ ...attempt, kind: 'report', identity: 'sms http://billing.test/messages/1' }), undefined);
  });

  it('an attempt at a job queued before jobs carried a kind is told by its identity, as it was then', () => {
    assert.equal(ConnectivityJobs.messageUrlOfSms({ ...attempt, identity: 'sms http://billing.test/messages/1' }), 'http://billing.test/messages/1');
    assert.equal(ConnectivityJobs.messageUrlOfSms({ ...attempt, identity: 'report http://billing.test/messages/1' }), undefined);
  });
});
