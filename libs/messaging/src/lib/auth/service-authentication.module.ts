import type { MessagingSecurity } from './messaging-security';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { SERVICE_AUTHENTICATION, ServiceAuthenticationGuard } from './service-authentication.guard';

/** Makes ServiceAuthenticationGuard usable on any controller of the app (`@UseGuards(ServiceAuthenticationGuard)`). */
@Global()
@Module({})
export class ServiceAuthenticationModule {
  static forRoot(options: MessagingSecurity): DynamicModule {
    return {
      module: ServiceAuthenticationModule,
      providers: [{ provide: SERVICE_AUTHENTICATION, useValue: options }, ServiceAuthenticationGuard],
      exports: [SERVICE_AUTHENTICATION, ServiceAuthenticationGuard],
    };
  }
}
