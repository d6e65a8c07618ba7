import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { verifyPeersBeforeParsing } from '@onebip/messaging';
import { ConfigError, createServiceApp } from '@onebip/platform';
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

async function main(): Promise<void> {
  let config: BillingConfig;
  try {
    config = readBillingConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`billing: ${error.message}`);
    process.exit(1);
  }
  const app = await startBilling(config);
  new Logger('Billing').log(`billing listening on ${await app.getUrl()}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error('billing failed to start:', error);
    process.exit(1);
  });
}
