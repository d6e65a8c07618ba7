import { DynamicModule, Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';

/** Where the queue dashboard is served. */
export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * Bull Board at /admin/queues, showing the named queues (each provided under @nestjs/bullmq's
 * queue token, as MessagingModule does). Import it only when the admin pages are enabled.
 */
@Module({})
export class QueueDashboardModule {
  static forQueues(queueNames: string[]): DynamicModule {
    return {
      module: QueueDashboardModule,
      imports: [
        BullBoardModule.forRoot({ route: QUEUE_DASHBOARD_ROUTE, adapter: FastifyAdapter }),
        ...queueNames.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
      ],
    };
  }
}
