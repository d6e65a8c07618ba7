import { INestApplication, Logger } from '@nestjs/common';
import { ConfigError } from '../config/config-error';

/**
 * A service's entry point: reads its configuration, which is checked whole before anything
 * starts (a ConfigError prints the variable at fault and exits 1), then starts the service and
 * logs where it listens. Any other failure to start exits 1 with its error.
 */
export function runService<C>(service: string, readConfig: () => C, start: (config: C) => Promise<INestApplication>): void {
  let config: C;
  try {
    config = readConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${service}: ${error.message}`);
    process.exit(1);
  }
  start(config).then(
    async (app) => new Logger(service).log(`${service} listening on ${await app.getUrl()}`),
    (error: unknown) => {
      console.error(`${service} failed to start:`, error);
      process.exit(1);
    },
  );
}
