import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '@onebip/platform';
import { Messaging } from './messaging';
import { RequestJob } from './request-job';

/** How often an OutboxSweeper sweeps, and what its log line calls what it found. */
export interface OutboxSweepOptions {
  intervalMs: number;
  /** What a sweep sends again, for the log: `pending message(s) into the queue`. */
  found: string;
}

/**
 * The outbox's safety net, for any table of things to send. A row can be committed without its
 * job reaching Redis (a crash between the commit and the enqueue, Redis down, or Redis losing its
 * data), and a job can fail for good without its row learning it (the last attempt's record
 * aborted). Every interval, the rows `stale()` yields, those still waiting for their job's
 * outcome, are sent again under their own job ids (`Messaging.sendAgain`): a job that still lives
 * is left alone by the queue, so nothing is sent twice; one that was lost is sent now; one that
 * failed for good is retried if its row, read again after that (`stillStale`), still waits: its
 * outcome was never recorded. Replicas may sweep at once for the same
 * reasons (the receiver's 409 absorbs a retry two replicas race to). One sweep at a time per
 * process; sweeping stops before the app closes its database and queue.
 *
 * A subclass says which rows are stale and what job each one is; Nest starts and stops it.
 */
export abstract class OutboxSweeper<T extends { id: string }> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly periodic: PeriodicTask<number>;

  /**
   * @param messaging where the rows' jobs go: one queue, or the queue of each row (a queue per
   *   subscriber, say)
   */
  constructor(
    private readonly messaging: Messaging | ((row: T) => Messaging),
    private readonly options: OutboxSweepOptions,
  ) {
    this.periodic = new PeriodicTask(
      () => this.sweepOnce(),
      options.intervalMs,
      (error) => this.logger.warn(`sweep failed: ${error.message}`),
    );
  }

  /** The rows whose jobs may have been lost, in pages (keyset pagination keeps a large backlog cheap). */
  protected abstract stale(): AsyncIterable<T[]>;

  /**
   * Of the rows with these ids, those `stale()` would still yield, read now, whatever their age:
   * the sweep asks after it saw their jobs failed, to retry only those whose outcome no worker recorded.
   */
  protected abstract stillStale(ids: string[]): Promise<string[]>;

  /** The job that sends `row`, with the same job id every time. */
  protected abstract jobFor(row: T): RequestJob;

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Sweeps now, or joins the sweep in progress; returns how many rows it sent again. */
  sweep(): Promise<number> {
    return this.periodic.runNow();
  }

  private async sweepOnce(): Promise<number> {
    let found = 0;
    let retried = 0;
    for await (const page of this.stale()) {
      for (const [messaging, rows] of this.byQueue(page)) retried += await this.sendAgain(messaging, rows);
      found += page.length;
    }
    if (found > 0) this.logger.log(`swept ${found} ${this.options.found}${retried > 0 ? `, ${retried} of them retried from the dead letters` : ''}`);
    return found;
  }

  private async sendAgain(messaging: Messaging, rows: T[]): Promise<number> {
    const rowOf = new Map(rows.map((row) => [this.jobFor(row), row.id]));
    return messaging.sendAgain([...rowOf.keys()], async (failed) => {
      const waiting = new Set(await this.stillStale(failed.map((job) => rowOf.get(job) as string)));
      return failed.filter((job) => waiting.has(rowOf.get(job) as string));
    });
  }

  private byQueue(rows: T[]): Map<Messaging, T[]> {
    const groups = new Map<Messaging, T[]>();
    for (const row of rows) {
      const messaging = typeof this.messaging === 'function' ? this.messaging(row) : this.messaging;
      const group = groups.get(messaging);
      if (group) group.push(row);
      else groups.set(messaging, [row]);
    }
    return groups;
  }
}
