import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '@onebip/platform';
import type { ConnectivityConfig } from '../config/connectivity-config';
import { CONNECTIVITY_CONFIG } from '../config/connectivity-config.module';

/**
 * A stand-in for a carrier's SMS API, for demos and tests: it answers after
 * SMS_GATEWAY_LATENCY_MS, refusing a share SMS_GATEWAY_FAILURE_RATE of submissions with 503
 * (a transient failure the job retries). It sends nothing anywhere.
 */
@Controller('simulated-carrier')
export class SimulatedCarrierController {
  constructor(@Inject(CONNECTIVITY_CONFIG) private readonly config: ConnectivityConfig) {}

  @Post('sms')
  @HttpCode(202)
  async submit(@Body() _sms: unknown) {
    const { latencyMs, failureRate } = this.config.smsGateway;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (Math.random() < failureRate) throw new AppError('carrier_unavailable', 503, 'the simulated carrier refused this SMS');
    return { id: randomUUID() };
  }
}
