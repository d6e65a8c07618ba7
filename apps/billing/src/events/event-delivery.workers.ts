import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DeliveryDestinations, RequestSigner, RequestWorker } from '@onebip/messaging';
import { PeriodicTask } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { EventDeliveryListener } from './event-delivery.listener';
import { EventQueues } from './event-queues';
import { Subscription } from './subscription.entity';
import { SubscriptionsService } from './subscriptions.service';

interface RunningWorker {
  url: string;
  worker: RequestWorker;
  signer: RequestSigner;
}

/**
 * In a worker process, one RequestWorker per subscription, on the subscription's own queue
 * (EventQueues says why), following the subscriptions table: every EVENT_SUBSCRIPTIONS_REFRESH_MS
 * a new subscription gets its worker, an ended one loses it, a changed URL gets a new worker,
 * and a rotated secret signs from the next attempt on. Each worker delivers only to its
 * subscription's origin, and only while EVENT_SUBSCRIBER_HOSTS allows it; it signs with the
 * subscription's secrets, never with MESSAGING_SECRETS.
 */
@Injectable()
export class EventDeliveryWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventDeliveryWorkers.name);
  private readonly workers = new Map<string, RunningWorker>();
  /** Subscriptions whose URL EVENT_SUBSCRIBER_HOSTS no longer allows, by URL: not delivered to, said once. */
  private readonly refused = new Map<string, string>();
  private readonly refresh: PeriodicTask<void>;

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly subscriptions: SubscriptionsService,
    private readonly listener: EventDeliveryListener,
  ) {
    this.refresh = new PeriodicTask(
      async () => this.followOnce(await this.subscriptions.list()),
      config.events.refreshIntervalMs,
      (error) => this.logger.warn(`following the subscriptions failed: ${error.message}`),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh.runNow().catch((error: Error) => this.logger.warn(`following the subscriptions failed: ${error.message}`));
    this.refresh.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.refresh.stop();
    const running = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(running.map(({ worker }) => worker.close()));
  }

  /** Follows the subscriptions table now (the refresh does it periodically). */
  follow(): Promise<void> {
    return this.refresh.runNow();
  }

  private async followOnce(subscriptions: Subscription[]): Promise<void> {
    const wanted = new Map(subscriptions.map((subscription) => [subscription.subscriber, subscription]));
    const closing: Promise<void>[] = [];
    for (const [subscriber, running] of this.workers) {
      const subscription = wanted.get(subscriber);
      if (subscription && subscription.url === running.url) continue;
      this.workers.delete(subscriber);
      closing.push(running.worker.close());
    }
    // At once: one hung subscriber's attempts must not hold up the others' workers.
    await Promise.all(closing);
    for (const subscription of subscriptions) {
      const { subscriber, url } = subscription;
      const running = this.workers.get(subscriber);
      if (running) running.signer = new RequestSigner(SubscriptionsService.secretsOf(subscription));
      else if (this.subscriptions.allows(url)) {
        this.refused.delete(subscriber);
        this.workers.set(subscriber, this.start(subscription));
      } else if (this.refused.get(subscriber) !== url) {
        // Fail closed: its events wait, pending, until the host is allowed again or the URL changes.
        this.refused.set(subscriber, url);
        this.logger.error(`not delivering events to ${subscriber}: its URL's host is not in EVENT_SUBSCRIBER_HOSTS (or is billing's own)`);
      }
    }
  }

  private start(subscription: Subscription): RunningWorker {
    const { subscriber, url } = subscription;
    const running: RunningWorker = {
      url,
      signer: new RequestSigner(SubscriptionsService.secretsOf(subscription)),
      worker: undefined as unknown as RequestWorker,
    };
    const name = EventQueues.nameFor(subscriber);
    running.worker = new RequestWorker(name, { url: this.config.redisUrl }, this.config.queuePrefix, {
      destinations: DeliveryDestinations.none().peerAt(url),
      concurrency: this.config.events.concurrency,
      listener: this.listener.of(subscriber),
      // Read at each attempt: a rotation reaches the next attempt.
      signer: { sign: (request) => running.signer.sign(request) },
      longestRequestTimeoutMs: this.config.delivery.requestTimeoutMs,
    });
    running.worker.worker.on('error', (error) => this.logger.warn(`worker ${name}: ${error.message}`));
    this.logger.log(`delivering events to ${subscriber}`);
    return running;
  }
}
