import { DynamicModule, Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';

/** Where the queue dashboard is served. */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * Bull Board at /admin/queues, showing the named queues (each provided under @nestjs/bullmq's
 * queue token, as MessagingModule does), read-only. Import it only when the admin pages are
 * enabled.
 *
 * Read-only because a job is a request the worker signs and sends: a dashboard that could add,
 * edit, retry or promote jobs would let whoever reaches it send signed requests. Retrying dead
 * letters is the signed admin API's and the CLI's job. createServiceApp also refuses every method
 * but GET and HEAD under this route, whatever Bull Board's own checks do.
 */
@Module({})
export class QueueDashboardModule {
  static forQueues(queueNames: string[]): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRoot({ route: QUEUE_DASHBOARD_ROUTE, adapter: FastifyAdapter }),
        ...queueNames.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter, options: { readOnlyMode: true, allowRetries: false } })),
      ],
    };
  }
}
