import { verifyPeersBeforeParsing } from '@onebip/messaging';
import { DynamicModule } from '@nestjs/common';
import { createServiceApp } from '@onebip/platform';
import { AppModule } from './app.module';
import { PAYMENTS_RATE_LIMIT } from './payments/payments.controller';
import { BillingConfig } from './config/billing-config';

/**
 * Starts billing with `config`; returns the app, listening. `equipment` adds modules that are not
 * the product (the demo build's console): only src/demo/main.ts passes any.
 */
export async function startBilling(config: BillingConfig, options: { logger?: false; equipment?: DynamicModule['imports'] } = {}) {
  const app = await createServiceApp(AppModule.forConfig(config, options.equipment), {
    service: 'billing',
    logLevel: config.logLevel,
    adminUi: config.adminUi,
    logger: options.logger,
    // Routes marked @SignedByPeers() check X-Authentication on the raw body before parsing it.
    beforeParsing: verifyPeersBeforeParsing(config.messaging),
    edge: config.edge,
    rateLimits: { redisUrl: config.redisUrl, keyPrefix: config.queuePrefix, perMinute: { [PAYMENTS_RATE_LIMIT]: config.paymentsPerMinute } },
  });
  await app.listen(config.port, config.host);
  return app;
}
