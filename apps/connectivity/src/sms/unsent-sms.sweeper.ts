import { Inject, Injectable } from '@nestjs/common';
import { Messaging, OutboxSweeper, RequestJob } from '@onebip/messaging';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';
import { Message, MessagesService } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';

/**
 * Connectivity's outbox sweep, as billing's. A message answered 202 has its SMS job in Redis, but
 * Redis may lose it (no persistence, a failover): a message still `accepted` after
 * SMS_SWEEP_ACCEPTED_AFTER_MS has its SMS job sent again under the same job id, so no SMS goes twice.
 */
@Injectable()
export class UnsentSmsSweeper extends OutboxSweeper<Message> {
  constructor(
    @Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig,
    private readonly messages: MessagesService,
    private readonly jobs: ConnectivityJobs,
    messaging: Messaging,
  ) {
    super(messaging, { intervalMs: config.smsGateway.sweepIntervalMs, found: 'accepted message(s) into the SMS queue' });
  }

  protected stale(): AsyncIterable<Message[]> {
    return this.messages.acceptedOlderThan(this.config.smsGateway.sweepAcceptedAfterMs);
  }

  protected stillStale(ids: string[]): Promise<string[]> {
    return this.messages.stillAccepted(ids);
  }

  protected jobFor(message: Message): RequestJob {
    return this.jobs.smsJobFor(message);
  }

  /** Sends the SMS job of every stale accepted message again; returns how many it found. One sweep at a time. */
  sweepUnsentSms(): Promise<number> {
    return this.sweep();
  }
}
