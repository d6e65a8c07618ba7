import { DynamicModule, Global, Module } from '@nestjs/common';
import { BillingConfig } from './billing-config';

/** Injection token of the BillingConfig read at boot. */
export const BILLING_CONFIG = Symbol('BILLING_CONFIG');

/** Makes the configuration read at boot injectable everywhere in billing. */
@Global()
@Module({})
export class BillingConfigModule {
  static with(config: BillingConfig): DynamicModule {
    return { module: BillingConfigModule, providers: [{ provide: BILLING_CONFIG, useValue: config }], exports: [BILLING_CONFIG] };
  }
}
