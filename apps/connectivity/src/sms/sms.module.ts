import { Module } from '@nestjs/common';
import { SMS_JOBS } from '../messages';
import { ConnectivityJobs } from './connectivity-jobs';
import { CarrierApiGateway } from './carrier-api.gateway';
import { SMS_GATEWAY } from './sms-gateway';

/**
 * The carrier side: the SmsGateway adapter and the jobs built with it, among them the SMS job
 * messages asks for through its SMS_JOBS port. It imports nothing of messages' modules, so
 * MessagesModule can take it in (MessagesModule.sendingSmsWith) without a cycle.
 */
@Module({
  providers: [{ provide: SMS_GATEWAY, useClass: CarrierApiGateway }, ConnectivityJobs, { provide: SMS_JOBS, useExisting: ConnectivityJobs }],
  exports: [ConnectivityJobs, SMS_JOBS],
})
export class SmsModule {}
