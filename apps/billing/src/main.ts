import 'reflect-metadata';
import { runService } from '@onebip/platform';
import { readBillingConfig } from './config/billing-config';
import { startBilling } from './start-billing';

// Billing as production runs it (dist/apps/billing/main.js): no demo equipment is bundled.
runService('billing', readBillingConfig, startBilling);
