import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Queue, QueueEvents } from 'bullmq';
import { DeliveryAttempt, DeliveryDestinations, DontRetry, ExponentialBackoff, HttpRequest, Messaging, RequestJob, RequestSigner } from '../src';
import { RequestWorker } from '../src/lib/request-worker';
import { RetryManyTimes } from '../src/lib/retry/retry-many-times';
import { RetryPolicy } from '../src/lib/retry/retry-policy';
import { ScriptedAnswer, ScriptedReceiver, deleteRedisKeys, freePort, testRedisUrl, uniquePrefix, waitFor, deferredCleanups } from '@onebip/testing';

const QUEUE = 'requests';
const redisUrl = testRedisUrl();

/** A queue, a worker and a receiver of their own for one test, with every attempt recorded. */
class Harness {
  readonly attempts: DeliveryAttempt[] = [];
  readonly prefix = uniquePrefix('request-worker');
  readonly queue = new Queue(QUEUE, { connection: { url: redisUrl }, prefix: this.prefix });
  readonly events = new QueueEvents(QUEUE, { connection: { url: redisUrl }, prefix: this.prefix });
  readonly messaging = new Messaging(this.queue);
  worker?: RequestWorker;

  startWorker(destinations = DeliveryDestinations.none().anyPeerHost(), signer?: RequestSigner): RequestWorker {
    this.worker = new RequestWorker(QUEUE, { url: redisUrl }, this.prefix, {
      destinations,
      signer,
      concurrency: 4,
      listener: { onAttempt: async (attempt) => void this.attempts.push(attempt) },
    });
    return this.worker;
  }

  async send(url: string, policy: RetryPolicy, timeoutMs = 2000): Promise<RequestJob> {
    const job = new RequestJob(HttpRequest.to(`${url}/messages`, 'POST').withJson({ text: 'Hello' }).ensureIs(202, 409).timingOutAfter(timeoutMs), policy);
    await this.messaging.send(job);
    return job;
  }

  async outcome(job: RequestJob): Promise<'completed' | 'failed'> {
    const stored = await this.queue.getJob(job.jobId);
    assert.ok(stored, 'the job is in the queue');
    return stored
      .waitUntilFinished(this.events, 15_000)
      .then(() => 'completed' as const)
      .catch((error: Error) => {
        if (/timed out/.test(error.message)) throw error;
        return 'failed' as const;
      });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.events.close();
    await this.queue.close();
    await deleteRedisKeys(redisUrl, this.prefix);
  }
}

const defer = deferredCleanups();
async function harness(): Promise<Harness> {
  const created = new Harness();
  await created.events.waitUntilReady();
  defer(() => created.close());
  return created;
}
async function receiver(script: ScriptedAnswer[], otherwise?: ScriptedAnswer, port?: number): Promise<ScriptedReceiver> {
  const started = await ScriptedReceiver.start(script, otherwise, port);
  defer(() => started.stop());
  return started;
}

const quickly = RetryManyTimes.forTimes(5).spaced(0.02);

describe('RequestWorker', () => {
  it('when the receiver answers 500 then 202, the job is retried and succeeds', async () => {
    const h = await harness();
    const connectivity = await receiver([500], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, quickly);
    assert.equal(await h.outcome(job), 'completed');
    assert.equal(connectivity.requests.length, 2);
    assert.deepEqual(
      h.attempts.map(({ attempt, outcome, status }) => ({ attempt, outcome, status })),
      [
        { attempt: 1, outcome: 'retrying', status: 500 },
        { attempt: 2, outcome: 'delivered', status: 202 },
      ],
    );
  });

  it('reports each attempt with the kind the job was sent as', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    h.startWorker();
    const job = new RequestJob(HttpRequest.to(`${connectivity.url}/messages`, 'POST').withJson({ text: 'Hello' }).ensureIs(202), quickly).ofKind('sms');
    await h.messaging.send(job);
    assert.equal(await h.outcome(job), 'completed');
    assert.deepEqual(
      h.attempts.map(({ kind, outcome }) => ({ kind, outcome })),
      [{ kind: 'sms', outcome: 'delivered' }],
    );
  });

  it('when the receiver answers 409, the job ends as delivered: the message was already there', async () => {
    const h = await harness();
    const connectivity = await receiver([409]);
    h.startWorker();
    const job = await h.send(connectivity.url, quickly);
    assert.equal(await h.outcome(job), 'completed');
    assert.equal(connectivity.requests.length, 1);
    assert.deepEqual(
      h.attempts.map(({ outcome, status }) => ({ outcome, status })),
      [{ outcome: 'delivered', status: 409 }],
    );
  });

  it('when the connection is refused, the job is retried until the receiver is up', async () => {
    const h = await harness();
    const port = await freePort();
    h.startWorker();
    const job = await h.send(`http://127.0.0.1:${port}`, RetryManyTimes.forTimes(200).spaced(0.02));
    await waitFor('a refused attempt', () => h.attempts.find((attempt) => /ECONNREFUSED/.test(attempt.detail)));
    const connectivity = await receiver([], 202, port);
    assert.equal(await h.outcome(job), 'completed');
    assert.equal(connectivity.requests.length, 1);
    assert.equal(h.attempts.at(-1)?.outcome, 'delivered');
    assert.ok(h.attempts.slice(0, -1).every((attempt) => attempt.outcome === 'retrying'));
  });

  it('when an answer never comes, the attempt times out and is retried', async () => {
    const h = await harness();
    const connectivity = await receiver(['hang'], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, quickly, 300);
    assert.equal(await h.outcome(job), 'completed');
    assert.match(h.attempts[0].detail, /timeout after 300 ms/);
    assert.equal(h.attempts[1].outcome, 'delivered');
  });

  it('when the policy runs out, the job fails after retries + 1 attempts and the last one says it gave up', async () => {
    const h = await harness();
    const connectivity = await receiver([], 503);
    h.startWorker();
    const job = await h.send(connectivity.url, RetryManyTimes.forTimes(2).spaced(0.01));
    assert.equal(await h.outcome(job), 'failed');
    assert.equal(connectivity.requests.length, 3);
    assert.deepEqual(
      h.attempts.map((attempt) => attempt.outcome),
      ['retrying', 'retrying', 'gave-up'],
    );
  });

  it('with DontRetry, one failed attempt fails the job', async () => {
    const h = await harness();
    const connectivity = await receiver([], 500);
    h.startWorker();
    const job = await h.send(connectivity.url, new DontRetry());
    assert.equal(await h.outcome(job), 'failed');
    assert.equal(connectivity.requests.length, 1);
  });

  it('a permanent failure (a 4xx other than 408 and 429) is not retried', async () => {
    const h = await harness();
    const connectivity = await receiver([], 422);
    h.startWorker();
    const job = await h.send(connectivity.url, quickly);
    assert.equal(await h.outcome(job), 'failed');
    assert.equal(connectivity.requests.length, 1);
    assert.deepEqual(
      h.attempts.map(({ outcome, status }) => ({ outcome, status })),
      [{ outcome: 'gave-up', status: 422 }],
    );
  });

  it('exponential backoff waits at least its schedule between attempts', async () => {
    const h = await harness();
    const connectivity = await receiver([503, 503, 503], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, ExponentialBackoff.atFirstWaiting(0.1).upTo(0.8));
    assert.equal(await h.outcome(job), 'completed');
    const times = connectivity.requests.map((request) => request.receivedAt);
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    assert.equal(gaps.length, 3);
    [100, 200, 400].forEach((wait, index) => assert.ok(gaps[index] >= wait - 5, `gap ${index + 1} was ${gaps[index]} ms, schedule says ${wait}`));
  });

  it('on 503 with Retry-After, waits at least that long, without spending more attempts than the policy allows', async () => {
    const h = await harness();
    const connectivity = await receiver([{ status: 503, headers: { 'retry-after': '1' } }], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, RetryManyTimes.forTimes(1).spaced(0.01));
    assert.equal(await h.outcome(job), 'completed');
    const [first, second] = connectivity.requests.map((request) => request.receivedAt);
    assert.ok(second - first >= 995, `the retry came ${second - first} ms after the 503 with Retry-After: 1`);
    assert.deepEqual(
      h.attempts.map((attempt) => attempt.outcome),
      ['retrying', 'delivered'],
    );
  });

  it('a worker closing lets the attempt in flight finish and report, then stops', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    const worker = h.startWorker();
    const slow = await ScriptedReceiver.start(['hang'], 202);
    defer(() => slow.stop());
    const job = await h.send(slow.url, quickly, 400);
    await waitFor('the attempt to start', () => slow.requests.length === 1);
    await worker.close();
    assert.equal(h.attempts.length, 1, 'the attempt in flight reported before the worker stopped');
    assert.match(h.attempts[0].detail, /timeout/);
    assert.equal(connectivity.requests.length, 0);
    assert.equal(await (await h.queue.getJob(job.jobId))?.getState(), 'delayed');
  });

  it('sending the same job twice while the first exists makes one job and one request', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    const job = await h.send(connectivity.url, quickly);
    await h.send(connectivity.url, quickly);
    assert.equal(await h.queue.count(), 1);
    h.startWorker();
    assert.equal(await h.outcome(job), 'completed');
    assert.equal(connectivity.requests.length, 1);
  });

  it('refuses a job whose destination the worker may not send to: nothing sent, nothing reported, a dead letter', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    const elsewhere = await receiver([], 202);
    h.startWorker(DeliveryDestinations.none().peerAt(connectivity.url), new RequestSigner(['a-shared-secret-0123456789abcdef']));
    const forged = await h.send(elsewhere.url, quickly);
    assert.equal(await h.outcome(forged), 'failed');
    assert.equal(elsewhere.requests.length, 0, 'nothing reached the other host');
    assert.deepEqual(h.attempts, [], 'no attempt: the request was never made');
    const stored = await h.queue.getJob(forged.jobId);
    assert.equal(stored?.attemptsMade, 1, 'failed for good at once, not retried');
    assert.match(stored?.failedReason ?? '', /refused: not a destination this worker sends to/);
    const allowed = await h.send(connectivity.url, quickly);
    assert.equal(await h.outcome(allowed), 'completed');
  });

  it('refuses a destination with credentials in it, even on an allowed host', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    h.startWorker(DeliveryDestinations.none().peerAt(connectivity.url));
    const withCredentials = connectivity.url.replace('http://', 'http://user:pass@');
    assert.equal(await h.outcome(await h.send(withCredentials, quickly)), 'failed');
    assert.equal(connectivity.requests.length, 0);
  });

  it('signs requests to peers and never to an external service such as the SMS carrier', async () => {
    const h = await harness();
    const peer = await receiver([], 202);
    const carrier = await receiver([], 202);
    h.startWorker(DeliveryDestinations.none().externalAt(carrier.url).peerAt(peer.url), new RequestSigner(['a-shared-secret-0123456789abcdef']));
    const [toPeer, toCarrier] = [await h.send(peer.url, quickly), await h.send(carrier.url, quickly)];
    assert.deepEqual([await h.outcome(toPeer), await h.outcome(toCarrier)], ['completed', 'completed']);
    assert.match(String(peer.requests[0].headers['x-authentication']), /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(carrier.requests[0].headers['x-authentication'], undefined, 'the carrier holds no shared secret and gets no signature');
  });
});

describe('Messaging.sendAgain, what a sweep sends', () => {
  /** A sweep whose rows all still wait for their jobs' outcomes when read again. */
  const allStillWaiting = async (failed: RequestJob[]) => failed;

  it('retries a job that failed for good, its attempts reset, and the retried attempt succeeds', async () => {
    const h = await harness();
    const connectivity = await receiver([422], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, new DontRetry());
    assert.equal(await h.outcome(job), 'failed');

    assert.equal(await h.messaging.sendAgain([job], allStillWaiting), 1, 'the failed job is retried');
    await waitFor('the retried job to complete', async () => (await h.queue.getJobState(job.jobId)) === 'completed');
    assert.equal(connectivity.requests.length, 2);
    assert.deepEqual(
      h.attempts.map((attempt) => [attempt.attempt, attempt.outcome]),
      [
        [1, 'gave-up'],
        [1, 'delivered'],
      ],
      'the retry starts its policy afresh',
    );
  });

  it('adds a lost job, and leaves a live or completed one alone: nothing is sent twice', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    const lost = new RequestJob(HttpRequest.to(`${connectivity.url}/messages`, 'POST').withJson({ text: 'lost' }).ensureIs(202, 409), quickly).identifiedBy(
      'lost',
    );
    const waiting = await h.send(connectivity.url, quickly);

    assert.equal(await h.messaging.sendAgain([lost, waiting], allStillWaiting), 0, 'neither had failed');
    h.startWorker();
    await Promise.all([h.outcome(lost), h.outcome(waiting)]);
    assert.equal(await h.messaging.sendAgain([lost, waiting], allStillWaiting), 0);
    assert.equal(connectivity.requests.length, 2, 'one request each');
  });

  it('leaves failed a job whose row, read again once the job is seen failed, no longer waits: its outcome was recorded since the sweep read it', async () => {
    const h = await harness();
    const connectivity = await receiver([422], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, new DontRetry());
    assert.equal(await h.outcome(job), 'failed');
    const askedAbout: string[][] = [];

    const retried = await h.messaging.sendAgain([job], async (failed) => {
      askedAbout.push(failed.map((each) => each.jobId));
      return [];
    });

    assert.equal(retried, 0);
    assert.deepEqual(askedAbout, [[job.jobId]], 'the sweep is asked about the failed job, once');
    assert.equal(await h.queue.getJobState(job.jobId), 'failed', 'the dead letter stays');
    assert.equal(connectivity.requests.length, 1, 'nothing is sent again');
  });

  it('asks about no row when no job has failed', async () => {
    const h = await harness();
    const connectivity = await receiver([], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, quickly);
    await h.outcome(job);
    let asked = false;
    assert.equal(
      await h.messaging.sendAgain([job], async (failed) => {
        asked = true;
        return failed;
      }),
      0,
    );
    assert.equal(asked, false);
  });

  it('two sweeps retrying one failed job at once retry it once', async () => {
    const h = await harness();
    const connectivity = await receiver([422], 202);
    h.startWorker();
    const job = await h.send(connectivity.url, new DontRetry());
    assert.equal(await h.outcome(job), 'failed');
    await h.worker?.close();

    const retried = await Promise.all([h.messaging.sendAgain([job], allStillWaiting), h.messaging.sendAgain([job], allStillWaiting)]);
    assert.equal(retried[0] + retried[1], 1);
    assert.equal(await h.queue.getJobState(job.jobId), 'waiting');
  });
});
