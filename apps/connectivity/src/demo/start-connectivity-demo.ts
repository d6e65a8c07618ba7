import { ConnectivityConfig } from '../config/connectivity-config';
import { startConnectivity } from '../start-connectivity';
import { ChaosModule } from './chaos/chaos.module';

/**
 * Connectivity's demo build (dist/demo/connectivity/main.js): connectivity as production runs it,
 * plus the chaos switches at /admin/chaos that the demo console flips (all off until flipped). It
 * is a bundle of its own, so the production build carries no fault injection, and it refuses to
 * boot with NODE_ENV=production.
 */
export function startConnectivityDemo(config: ConnectivityConfig, options: { logger?: false } = {}) {
  return startConnectivity(config, { ...options, equipment: [ChaosModule] });
}
