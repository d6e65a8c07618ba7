import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DeadLetters, Messaging } from '@onebip/messaging';
import { finishedWithin } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';

interface SubscriberQueue {
  queue: Queue;
  messaging: Messaging;
  deadLetters: DeadLetters;
}

const CLOSE_DEADLINE_MS = 5000;

/**
 * One queue of event deliveries per subscription, opened when first used. A queue of its own is
 * what keeps subscribers apart: BullMQ's open-source edition has no per-group concurrency, and on
 * one shared queue a subscriber that answers slowly would hold every worker slot its jobs reach,
 * delaying everyone behind it. With a queue (and, in each worker process, a worker) per
 * subscription, a slow subscriber fills only its own slots; billing's messages to connectivity
 * have their queue apart too. The cost is a few Redis connections per subscription and process.
 */
@Injectable()
export class EventQueues implements OnApplicationShutdown {
  private readonly logger = new Logger(EventQueues.name);
  private readonly queues = new Map<string, SubscriberQueue>();

  constructor(@Inject(BILLING_CONFIG) private readonly config: BillingConfig) {}

  /** The queue's name for `subscriber` (a SUBSCRIBER_NAME: safe in a Redis key). */
  static nameFor(subscriber: string): string {
    return `billing-events-${subscriber}`;
  }

  /** Sends into `subscriber`'s queue. */
  messagingFor(subscriber: string): Messaging {
    return this.open(subscriber).messaging;
  }

  /** The failed deliveries of `subscriber`'s queue. */
  deadLettersFor(subscriber: string): DeadLetters {
    return this.open(subscriber).deadLetters;
  }

  /** Empties `subscriber`'s queue (its subscription ended) and closes it. */
  async drop(subscriber: string): Promise<void> {
    const { queue } = this.open(subscriber);
    this.queues.delete(subscriber);
    try {
      await queue.obliterate({ force: true });
    } catch (error) {
      // Obliterating pauses the queue first: one cut short must not leave it paused for good.
      await queue.resume().catch(() => undefined);
      throw error;
    } finally {
      await this.closeQueue(queue);
    }
  }

  /**
   * Removes, from `subscriber`'s queue, each job among `jobs` that is not running and names
   * another URL than its delivery now does (the subscription's URL changed after it was queued):
   * the sweep then adds it again, to the URL of today, under the same id. Returns how many.
   */
  async removeJobsToOtherUrls(subscriber: string, jobs: { jobId: string; url: string }[]): Promise<number> {
    const { queue } = this.open(subscriber);
    let removed = 0;
    for (const { jobId, url } of jobs) {
      const job = await queue.getJob(jobId);
      if (!job || job.data?.request?.url === url || (await job.isActive())) continue;
      await job.remove();
      removed += 1;
    }
    return removed;
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(open.map(({ queue }) => this.closeQueue(queue)));
  }

  private open(subscriber: string): SubscriberQueue {
    let opened = this.queues.get(subscriber);
    if (!opened) {
      const name = EventQueues.nameFor(subscriber);
      // As billing's queue of messages: no offline queue, so a send while Redis is away fails at
      // once and the delivery waits in the outbox for the sweep.
      const queue = new Queue(name, { connection: { url: this.config.redisUrl, enableOfflineQueue: false }, prefix: this.config.queuePrefix });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      opened = { queue, messaging: new Messaging(queue), deadLetters: new DeadLetters(queue) };
      this.queues.set(subscriber, opened);
    }
    return opened;
  }

  private async closeQueue(queue: Queue): Promise<void> {
    const closing = queue.close().catch((error: Error) => this.logger.warn(`closing queue ${queue.name}: ${error.message}`));
    if (!(await finishedWithin(closing, CLOSE_DEADLINE_MS))) await queue.disconnect().catch(() => undefined);
  }
}
