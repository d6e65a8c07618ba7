import { Module } from '@nestjs/common';
import { ConnectivityJobs } from './connectivity-jobs';
import { SimulatedCarrierController } from './simulated-carrier.controller';
import { SimulatedCarrierGateway } from './simulated-carrier.gateway';
import { SMS_GATEWAY } from './sms-gateway';

/** The carrier side: the SmsGateway adapter, the jobs built with it, and the simulated carrier. */
@Module({
  controllers: [SimulatedCarrierController],
  providers: [{ provide: SMS_GATEWAY, useClass: SimulatedCarrierGateway }, ConnectivityJobs],
  exports: [ConnectivityJobs],
})
export class SmsModule {}
