import { verifyPeersBeforeParsing } from '@onebip/messaging';
import { DynamicModule } from '@nestjs/common';
import { createServiceApp } from '@onebip/platform';
import { AppModule } from './app.module';
import { ConnectivityConfig } from './config/connectivity-config';

/**
 * Starts connectivity with `config`; returns the app, listening. `equipment` adds modules that are
 * not the product (the demo build's chaos switches): only src/demo/ passes any.
 */
export async function startConnectivity(config: ConnectivityConfig, options: { logger?: false; equipment?: DynamicModule['imports'] } = {}) {
  const app = await createServiceApp(AppModule.forConfig(config, options.equipment), {
    service: 'connectivity',
    bodyLimitBytes: config.bodyLimitBytes,
    logLevel: config.logLevel,
    adminUi: config.adminUi,
    logger: options.logger,
    // Routes marked @SignedByPeers() check X-Authentication on the raw body before parsing it.
    beforeParsing: verifyPeersBeforeParsing(config.messaging),
    edge: config.edge,
    // No public route is limited here (POST /messages is for signed peers); failed admin logins are.
    rateLimits: { redisUrl: config.redisUrl, keyPrefix: config.queuePrefix, perMinute: {} },
  });
  await app.listen(config.port, config.host);
  return app;
}
