import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryDestinations, MessagingModule, RequestSigner, ServiceAuthenticationModule } from '@onebip/messaging';
import { HealthModule, MetricsModule, QueueDashboardModule, databaseModule } from '@onebip/platform';
import { ConnectivityConfig } from './config/connectivity-config';
import { ConnectivityConfigModule } from './config/connectivity-config.module';
import { SmsDeliveryListener } from './sms/sms-delivery.listener';
import { Message } from './messages/message.entity';
import { MessagesModule } from './messages/messages.module';
import { migrations } from './migrations';
import { SmsDeliveryModule } from './sms/sms-delivery.module';
import { SmsModule } from './sms/sms.module';
import { UnsentSmsSweepModule } from './sms/unsent-sms-sweep.module';

/** Name of connectivity's queue of outgoing requests: SMS to the carrier, reports to senders. */
export const CONNECTIVITY_REQUEST_QUEUE = 'connectivity-requests';

@Module({})
export class AppModule {
  /** Connectivity's modules for `config`; `equipment` adds what is not the product (the demo build's chaos switches). */
  static forConfig(config: ConnectivityConfig, equipment: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConnectivityConfigModule.with(config),
        databaseModule({ url: config.databaseUrl, entities: [Message], migrations }),
        MessagingModule.forRootAsync({
          queueName: CONNECTIVITY_REQUEST_QUEUE,
          useFactory: () => ({
            redisUrl: config.redisUrl,
            prefix: config.queuePrefix,
            // An API-only replica queues SMS jobs; workers, scaled apart, send them and the reports.
            worker: config.role !== 'api' && {
              destinations: connectivityDestinations(config),
              concurrency: 16,
              listener: SmsDeliveryListener,
              signer: new RequestSigner(config.messaging.secrets),
            },
          }),
        }),
        ServiceAuthenticationModule.forRoot(config.messaging),
        MessagesModule.sendingSmsWith(SmsModule),
        SmsDeliveryModule,
        ...(config.role !== 'api' ? [UnsentSmsSweepModule] : []),
        HealthModule,
        MetricsModule.serve({ ...config.edge.metrics, host: config.host }),
        ...(config.adminUi.enabled ? [QueueDashboardModule.forQueues([CONNECTIVITY_REQUEST_QUEUE])] : []),
        ...equipment,
      ],
    };
  }
}

/**
 * Connectivity's jobs go to the SMS carrier, unsigned (it holds none of the shared secrets), and
 * as delivery reports to the allowed callback hosts, signed. With no CALLBACK_ALLOWED_HOSTS
 * (refused in production) a report may go to any host: the API has already held each callback to
 * its message URL's origin.
 */
function connectivityDestinations(config: ConnectivityConfig): DeliveryDestinations {
  const carrier = DeliveryDestinations.none().externalAt(config.smsGateway.url);
  return config.callbacks.allowedHosts.length > 0 ? carrier.peerHosts(config.callbacks.allowedHosts) : carrier.anyPeerHost();
}
