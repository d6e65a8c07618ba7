import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { DeliveryAttempt, DeliveryDestinations, DontRetry, HttpRequest, Messaging, MessagingModule, RequestJob } from '../src';
import { ScriptedReceiver, deleteRedisKeys, testRedisUrl, uniquePrefix, waitFor } from '@onebip/testing';

const QUEUE = 'module-requests';

/** A dependency that takes its time to exist, as a database connection does at boot. */
class SlowStore {
  readonly recorded: DeliveryAttempt[] = [];
}

@Injectable()
class RecordingListener {
  constructor(private readonly store: SlowStore) {}

  async onAttempt(attempt: DeliveryAttempt): Promise<void> {
    this.store.recorded.push(attempt);
  }
}

describe('MessagingModule', () => {
  const prefix = uniquePrefix('messaging-module');
  after(() => deleteRedisKeys(testRedisUrl(), prefix));

  it('takes queued jobs only once the app has bootstrapped: the first attempts reach a listener that is fully built', async () => {
    const receiver = await ScriptedReceiver.start([], 202);
    const queue = new Queue(QUEUE, { connection: { url: testRedisUrl() }, prefix });
    // A backlog waiting when the app starts, as after a worker restart.
    for (let i = 0; i < 5; i += 1) {
      await new Messaging(queue).send(new RequestJob(HttpRequest.to(`${receiver.url}/m/${i}`, 'POST').withJson({ i }).ensureIs(202), new DontRetry()));
    }
    await queue.close();

    @Module({
      imports: [
        MessagingModule.forRootAsync({
          queueName: QUEUE,
          useFactory: () => ({
            redisUrl: testRedisUrl(),
            prefix,
            worker: { destinations: DeliveryDestinations.none().anyPeerHost(), listener: RecordingListener },
          }),
        }),
      ],
      providers: [
        // Built after the worker's factory ran, half a second later.
        { provide: SlowStore, useFactory: () => new Promise<SlowStore>((resolve) => setTimeout(() => resolve(new SlowStore()), 500)) },
        RecordingListener,
      ],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    try {
      await app.init();
      const store = app.get(SlowStore);
      await waitFor('every queued job to be attempted and recorded', () => store.recorded.length === 5);
      assert.deepEqual(new Set(store.recorded.map((attempt) => attempt.outcome)), new Set(['delivered']));
    } finally {
      await app.close();
      await receiver.stop();
    }
  });
});
