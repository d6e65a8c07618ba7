import 'reflect-metadata';
import { verifyPeersBeforeParsing } from '@onebip/messaging';
import { createServiceApp, runService } from '@onebip/platform';
import { AppModule } from './app.module';
import { ConnectivityConfig, readConnectivityConfig } from './config/connectivity-config';

/** Starts connectivity with `config`; returns the app, listening. */
export async function startConnectivity(config: ConnectivityConfig, options: { logger?: false } = {}) {
  const app = await createServiceApp(AppModule.forConfig(config), {
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

if (require.main === module) runService('connectivity', readConnectivityConfig, startConnectivity);
