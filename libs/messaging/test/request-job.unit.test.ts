import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExponentialBackoff, HttpRequest, RequestJob } from '../src';
import { classifyAttempt } from '../src/lib/classify-attempt';
import { parseRetryAfter } from '../src/lib/perform-request';

const messageUrl = 'http://127.0.0.1:3001/messages/123';
const request = HttpRequest.to('http://127.0.0.1:3002/messages', 'POST').withJson({ text: 'Hello', message: messageUrl }).ensureIs(202, 409);

describe('HttpRequest', () => {
  it('builds a request as a value: each step returns a new request and leaves the old one alone', () => {
    const base = HttpRequest.to('http://example.test/x', 'POST');
    const withBody = base.withJson({ a: 1 });
    assert.equal(base.body, undefined);
    assert.equal(withBody.body, '{"a":1}');
    assert.equal(withBody.headers['content-type'], 'application/json');
    assert.deepEqual(base.expectedStatuses, [200]);
    assert.equal(base.timeoutMs, 10_000);
  });

  it('refuses what could never be requested', () => {
    assert.throws(() => HttpRequest.to('/relative'), /not an absolute URL/);
    assert.throws(() => HttpRequest.to('ftp://example.test/file'), /only http and https/);
    assert.throws(() => request.ensureIs(), /ensureIs needs HTTP statuses/);
    assert.throws(() => request.timingOutAfter(0), /positive number of milliseconds/);
  });

  it('is done by the statuses it ensures, and by no other', () => {
    assert.equal(request.isDoneBy(202), true);
    assert.equal(request.isDoneBy(409), true);
    assert.equal(request.isDoneBy(200), false);
  });
});

describe('RequestJob', () => {
  it('takes its queue id from its identity, so one message makes one job', () => {
    const policy = ExponentialBackoff.atFirstWaiting(5).upTo(3600);
    const first = new RequestJob(request, policy).identifiedBy(messageUrl);
    const again = new RequestJob(request.timingOutAfter(5000), policy).identifiedBy(messageUrl);
    const other = new RequestJob(request, policy).identifiedBy(`${messageUrl}4`);
    assert.equal(first.jobId, again.jobId);
    assert.notEqual(first.jobId, other.jobId);
  });

  it('has a job id BullMQ accepts: no colon, never a bare integer', () => {
    const { jobId } = new RequestJob(request).identifiedBy(messageUrl);
    assert.doesNotMatch(jobId, /:/);
    assert.doesNotMatch(jobId, /^\d+$/);
  });

  it('is identified by its request when no identity is given', () => {
    assert.equal(new RequestJob(request).jobId, new RequestJob(request).jobId);
    assert.notEqual(new RequestJob(request).jobId, new RequestJob(request.withJson({ other: true })).jobId);
  });

  it('comes back from its stored form as it was sent', () => {
    const job = new RequestJob(request, ExponentialBackoff.atFirstWaiting(1).upTo(60)).identifiedBy(messageUrl);
    const restored = RequestJob.fromJSON(JSON.parse(JSON.stringify(job.toJSON())));
    assert.deepEqual(restored.toJSON(), job.toJSON());
    assert.equal(restored.jobId, job.jobId);
  });

  it('keeps its kind through the queue, and the kind changes neither its identity nor its job id', () => {
    const plain = new RequestJob(request).identifiedBy(messageUrl);
    const sms = new RequestJob(request, ExponentialBackoff.atFirstWaiting(1).upTo(60)).ofKind('sms').identifiedBy(messageUrl);
    const restored = RequestJob.fromJSON(JSON.parse(JSON.stringify(sms.toJSON())));
    assert.equal(restored.kind, 'sms');
    assert.equal(sms.identity, plain.identity);
    assert.equal(sms.jobId, plain.jobId);
    assert.equal(plain.kind, undefined);
    assert.equal('kind' in plain.toJSON(), false);
  });
});

describe('attempt classification', () => {
  it('counts ensureIs statuses as done', () => {
    assert.equal(classifyAttempt(request, { kind: 'answered', status: 202 }), 'done');
    assert.equal(classifyAttempt(request, { kind: 'answered', status: 409 }), 'done');
  });

  it('counts no answer, 408, 429 and 5xx as transient', () => {
    assert.equal(classifyAttempt(request, { kind: 'unanswered', error: 'ECONNREFUSED' }), 'transient');
    for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(classifyAttempt(request, { kind: 'answered', status }), 'transient', `HTTP ${status}`);
  });

  it('counts other 4xx and unexpected 2xx or 3xx as permanent', () => {
    for (const status of [400, 401, 403, 404, 413, 415, 422, 200, 301])
      assert.equal(classifyAttempt(request, { kind: 'answered', status }), 'permanent', `HTTP ${status}`);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('120'), 120);
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1)), 60);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});
