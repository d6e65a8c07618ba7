import 'reflect-metadata';
import { verifyPeersBeforeParsing } from '@onebip/messaging';
import { createServiceApp, runService } from '@onebip/platform';
import { AppModule } from './app.module';
import { PAYMENTS_RATE_LIMIT } from './payments/payments.controller';
import { BillingConfig, readBillingConfig } from './config/billing-config';

/** Starts billing with `config`; returns the app, listening. */
export async function startBilling(config: BillingConfig, options: { logger?: false } = {}) {
  const app = await createServiceApp(AppModule.forConfig(config), {
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

if (require.main === module) runService('billing', readBillingConfig, startBilling);
