import { BillingConfig } from '../config/billing-config';
import { startBilling } from '../start-billing';
import { DemoConsoleModule } from './demo-console.module';

/**
 * Billing's demo build (dist/demo/billing/main.js): billing as production runs it, plus the demo
 * console at /demo beside the queue dashboard (with the admin pages, ADMIN_UI_ENABLED). It is a
 * bundle of its own, so the production build carries none of the console, and it refuses to boot
 * with NODE_ENV=production.
 */
export function startBillingDemo(config: BillingConfig, options: { logger?: false } = {}) {
  return startBilling(config, { ...options, equipment: config.adminUi.enabled ? [DemoConsoleModule] : [] });
}
