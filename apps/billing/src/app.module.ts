import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryDestinations, MessagingModule, RequestSigner, ServiceAuthenticationModule } from '@onebip/messaging';
import { HealthModule, MetricsModule, QueueDashboardModule, databaseModule } from '@onebip/platform';
import { BillingConfig } from './config/billing-config';
import { BillingConfigModule } from './config/billing-config.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { EventDelivery, EventDeliveryModule, EventsModule, PublishedEvent, Subscription } from './events';
import { Message } from './messages/message.entity';
import { MessageEvent } from './messages/message-event.entity';
import { MessageDeliveryListener } from './messages/message-delivery.listener';
import { MessagesModule } from './messages/messages.module';
import { PendingMessageSweepModule } from './messages/pending-message-sweep.module';
import { migrations } from './migrations';
import { Payment } from './payments/payment.entity';
import { PaymentsModule } from './payments/payments.module';

/** Name of billing's queue of outgoing requests. */
export const BILLING_REQUEST_QUEUE = 'billing-requests';

@Module({})
export class AppModule {
  /** Billing's modules for `config`; `equipment` adds what is not the product (the demo build's console). */
  static forConfig(config: BillingConfig, equipment: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        BillingConfigModule.with(config),
        databaseModule({ url: config.databaseUrl, entities: [Payment, Message, MessageEvent, PublishedEvent, Subscription, EventDelivery], migrations }),
        MessagingModule.forRootAsync({
          queueName: BILLING_REQUEST_QUEUE,
          useFactory: () => ({
            redisUrl: config.redisUrl,
            prefix: config.queuePrefix,
            // An API-only replica queues jobs; workers, scaled apart, deliver them.
            worker: config.role !== 'api' && {
              // Billing's jobs go to connectivity and nowhere else, whatever a job in Redis says.
              destinations: DeliveryDestinations.none().peerAt(config.connectivityUrl),
              concurrency: config.delivery.concurrency,
              listener: MessageDeliveryListener,
              signer: new RequestSigner(config.messaging.secrets),
              longestRequestTimeoutMs: config.delivery.requestTimeoutMs,
            },
          }),
        }),
        ServiceAuthenticationModule.forRoot(config.messaging),
        MessagesModule,
        ...(config.role !== 'api' ? [PendingMessageSweepModule] : []),
        EventsModule,
        ...(config.role !== 'api' ? [EventDeliveryModule] : []),
        PaymentsModule,
        DeadLettersModule,
        HealthModule,
        MetricsModule.serve({ ...config.edge.metrics, host: config.host }),
        ...(config.adminUi.enabled ? [QueueDashboardModule.forQueues([BILLING_REQUEST_QUEUE])] : []),
        ...equipment,
      ],
    };
  }
}
