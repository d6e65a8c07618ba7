import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '@onebip/platform';
import type { BillingConfig } from '../config/billing-config';
import { BILLING_CONFIG } from '../config/billing-config.module';
import { EventsRepository } from './events.repository';

const HOURLY_MS = 3_600_000;

/**
 * Deletes, every hour, the events older than EVENT_RETENTION_DAYS with their deliveries: a
 * delivery still pending by then is dropped (its dead letter expires with the week BullMQ keeps it).
 */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventRetention.name);
  private readonly periodic: PeriodicTask<number>;

  constructor(
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    private readonly events: EventsRepository,
  ) {
    this.periodic = new PeriodicTask(
      () => this.expire(),
      HOURLY_MS,
      (error) => this.logger.warn(`deleting old events failed: ${error.message}`),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Deletes the events past retention now; returns how many. */
  async expire(): Promise<number> {
    const deleted = await this.events.deleteOlderThan(this.config.events.retentionDays);
    if (deleted > 0) this.logger.log(`deleted ${deleted} event(s) older than ${this.config.events.retentionDays} days`);
    return deleted;
  }
}
