import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectivityConfig } from './connectivity-config';

/** Injection token of the ConnectivityConfig read at boot. */
export const CONNECTIVITY_CONFIG = Symbol('CONNECTIVITY_CONFIG');

/** Makes the configuration read at boot injectable everywhere in connectivity. */
@Global()
@Module({})
export class ConnectivityConfigModule {
  static with(config: ConnectivityConfig): DynamicModule {
    return { module: ConnectivityConfigModule, providers: [{ provide: CONNECTIVITY_CONFIG, useValue: config }], exports: [CONNECTIVITY_CONFIG] };
  }
}
