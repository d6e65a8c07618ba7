import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Messaging } from '@onebip/messaging';
import { PeriodicTask } from '@onebip/platform';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { MessagesService } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';

/**
 * Connectivity's outbox sweep, as billing's. A message answered 202 has its SMS job in Redis,
 * but Redis may lose it (no persistence, a failover). Every interval, messages still `accepted`
 * after a threshold get their SMS job sent again under the same job id: a job that still exists
 * is left alone by the queue, so no SMS goes twice.
 */
@Injectable()
export class UnsentSmsSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UnsentSmsSweeper.name);
  private readonly periodic: PeriodicTask<number>;

  constructor(
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    private readonly messages: MessagesService,
    private readonly jobs: ConnectivityJobs,
    private readonly messaging: Messaging,
  ) {
    this.periodic = new PeriodicTask(
      () => this.sweep(),
      this.config.smsGateway.sweepIntervalMs,
      (error) => this.logger.warn(`sweep failed: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  /** Stops sweeping while the database and the queue are still open. */
  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Sends the SMS job of every stale accepted message again; returns how many it found. One sweep at a time. */
  sweepUnsentSms(): Promise<number> {
    return this.periodic.runNow();
  }

  private async sweep(): Promise<number> {
    let found = 0;
    for await (const page of this.messages.acceptedOlderThan(this.config.smsGateway.sweepAcceptedAfterMs)) {
      await this.messaging.sendAll(page.map((message) => this.jobs.smsJobFor(message)));
      found += page.length;
    }
    if (found > 0) this.logger.log(`swept ${found} accepted message(s) into the SMS queue`);
    return found;
  }
}
