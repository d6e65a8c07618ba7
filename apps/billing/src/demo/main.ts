import 'reflect-metadata';
import { readDemoConfig, runService } from '@onebip/platform';
import { readBillingConfig } from '../config/billing-config';
import { startBillingDemo } from './start-billing-demo';

// Billing's demo build (dist/demo/billing/main.js): refused with NODE_ENV=production.
runService('billing', () => readDemoConfig(readBillingConfig), startBillingDemo);
