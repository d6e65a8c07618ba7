import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
  Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DeliveryAttempt, DeliveryListener } from './delivery-attempt';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { DeliveryMetrics } from './delivery-metrics';
import { DeadLetters } from './dead-letters';
import { Messaging } from './messaging';
import { RequestWorker, RequestWorkerOptions } from './request-worker';
import { finishedWithin } from '@onebip/platform';

/** How an app's messaging is wired: where its queue lives, and whether this process delivers. */
export interface MessagingModuleOptions {
  /** Redis URL; a `/N` path selects database N. */
  redisUrl: string;
  /** Prefix of every Redis key of the queue, so several apps or test runs share one Redis. */
  prefix: string;
  /**
   * Run a RequestWorker in this process (false for an API-only replica). Its `listener` is a
   * provider class of the app, looked up when the first attempt reports, so that it may itself
   * depend on `Messaging` (to send a follow-up job, say).
   */
  worker: (Omit<RequestWorkerOptions, 'listener'> & { listener?: Type<DeliveryListener> }) | false;
}

export interface MessagingModuleAsyncOptions {
  /** Name of the queue of outgoing requests. */
  queueName: string;
  imports?: DynamicModule['imports'];
  inject?: (string | symbol | Function)[];
  useFactory: (...args: any[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
const QUEUE_CLOSE_DEADLINE_MS = 5000;

@Injectable()
class MessagingShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly queue: Queue,
    // Explicit token: a `RequestWorker | null` parameter type is recorded as Object in the metadata.
    @Optional() @Inject(RequestWorker) private readonly worker: RequestWorker | null,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  /** Every provider exists now, the delivery listener too: the worker may take jobs. */
  onApplicationBootstrap(): void {
    if (this.worker && this.options.worker && (this.options.worker.autorun ?? true)) {
      this.worker.worker.run().catch((error: Error) => this.logger.error(`the worker stopped: ${error.message}`));
    }
  }

  /**
   * The worker stops before any module shuts down: the attempts in flight finish and report
   * while the app's database (closed in onApplicationShutdown) is still there to record them.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close().catch((error) => this.logger.error(`closing the worker: ${error}`));
  }

  /** Closes the queue's connection; if Redis does not answer in time, drops it: shutdown must end. */
  async onApplicationShutdown(): Promise<void> {
    const closing = this.queue.close().catch((error) => this.logger.error(`closing the queue: ${error}`));
    if (!(await finishedWithin(closing, QUEUE_CLOSE_DEADLINE_MS))) {
      this.logger.warn(`Redis did not answer within ${QUEUE_CLOSE_DEADLINE_MS} ms: dropping the queue's connection`);
      await this.queue.disconnect().catch(() => undefined);
    }
  }
}

/**
 * Wires libs/messaging into a NestJS app: provides `Messaging` to send RequestJobs, `DeadLetters`, the BullMQ
 * `Queue` (under @nestjs/bullmq's token, so its tooling finds it) and, unless disabled,
 * a `RequestWorker` that delivers them. Closes both on shutdown.
 */
@Module({})
export class MessagingModule {
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    const queueToken = getQueueToken(options.queueName);
    const logger = new Logger('Messaging');
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: queueToken,
          inject: [MESSAGING_OPTIONS],
          useFactory: (config: MessagingModuleOptions) => {
            // No offline queue: while Redis is away, send() fails at once instead of hanging the
            // caller's request; the caller's outbox keeps the message for a later sweep.
            const queue = new Queue(options.queueName, {
              connection: { url: config.redisUrl, enableOfflineQueue: false },
              prefix: config.prefix,
            });
            queue.on('error', (error) => logger.warn(`queue ${options.queueName}: ${error.message}`));
            return queue;
          },
        },
        { provide: Queue, useExisting: queueToken },
        { provide: Messaging, inject: [queueToken], useFactory: (queue: Queue) => new Messaging(queue) },
        { provide: DeadLetters, inject: [queueToken], useFactory: (queue: Queue) => new DeadLetters(queue) },
        {
          // With the app's metrics registry (platform's MetricsModule), the queue is measured.
          provide: DeliveryMetrics,
          inject: [queueToken, { token: Registry, optional: true }],
          useFactory: (queue: Queue, registry?: Registry) => (registry ? new DeliveryMetrics(registry, queue) : null),
        },
        {
          provide: RequestWorker,
          inject: [MESSAGING_OPTIONS, ModuleRef, { token: DeliveryMetrics, optional: true }],
          useFactory: (config: MessagingModuleOptions, moduleRef: ModuleRef, metrics?: DeliveryMetrics | null) => {
            if (!config.worker) return null;
            const { listener: listenerType, ...workerOptions } = config.worker;
            let resolved: DeliveryListener | undefined;
            const listener = listenerType && {
              onAttempt: (attempt: DeliveryAttempt) => {
                resolved ??= moduleRef.get(listenerType, { strict: false });
                if (!resolved) throw new Error(`no ${listenerType.name} provider to report delivery attempts to`);
                return resolved.onAttempt(attempt);
              },
            };
            const worker = new RequestWorker(options.queueName, { url: config.redisUrl }, config.prefix, {
              ...workerOptions,
              listener,
              metrics: metrics ?? undefined,
              // Jobs are taken once the app has bootstrapped (MessagingShutdown below): a job taken
              // while Nest is still creating providers would reach a listener not yet built.
              autorun: false,
            });
            worker.worker.on('error', (error) => logger.warn(`worker ${options.queueName}: ${error.message}`));
            return worker;
          },
        },
        MessagingShutdown,
      ],
      exports: [Messaging, DeadLetters, queueToken, Queue, RequestWorker],
    };
  }
}
