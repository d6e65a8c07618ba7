import { DynamicModule, Module } from '@nestjs/common';
import { ServiceAuthenticationModule } from '@onebip/messaging';
import { databaseModule } from '@onebip/platform';
import { ConnectivityConfig } from './config/connectivity-config';
import { Message } from './messages/message.entity';
import { MessagesModule } from './messages/messages.module';
import { migrations } from './migrations';

export const CONNECTIVITY_CONFIG = Symbol('CONNECTIVITY_CONFIG');

@Module({})
export class AppModule {
  static forConfig(config: ConnectivityConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        databaseModule({ url: config.databaseUrl, entities: [Message], migrations }),
        ServiceAuthenticationModule.forRoot(config.messaging),
        MessagesModule,
      ],
      providers: [{ provide: CONNECTIVITY_CONFIG, useValue: config }],
      exports: [CONNECTIVITY_CONFIG],
      global: true,
    };
  }
}
