import { Module } from '@nestjs/common';
import { ConnectivityJobs } from './connectivity-jobs';
import { SimulatedCarrierGateway } from './simulated-carrier.gateway';
import { SMS_GATEWAY } from './sms-gateway';

/** The carrier side: the SmsGateway adapter and the jobs built with it. */
@Module({
  providers: [{ provide: SMS_GATEWAY, useClass: SimulatedCarrierGateway }, ConnectivityJobs],
  exports: [ConnectivityJobs],
})
export class SmsModule {}
