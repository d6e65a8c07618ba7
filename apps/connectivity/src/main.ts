import 'reflect-metadata';
import { runService } from '@onebip/platform';
import { readConnectivityConfig } from './config/connectivity-config';
import { startConnectivity } from './start-connectivity';

// Connectivity as production runs it (dist/apps/connectivity/main.js): no demo equipment is bundled.
runService('connectivity', readConnectivityConfig, startConnectivity);
