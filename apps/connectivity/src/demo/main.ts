import 'reflect-metadata';
import { readDemoConfig, runService } from '@onebip/platform';
import { readConnectivityConfig } from '../config/connectivity-config';
import { startConnectivityDemo } from './start-connectivity-demo';

// Connectivity's demo build (dist/demo/connectivity/main.js): refused with NODE_ENV=production.
runService('connectivity', () => readDemoConfig(readConnectivityConfig), startConnectivityDemo);
