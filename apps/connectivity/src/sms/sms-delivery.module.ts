import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages';
import { SmsDeliveryListener } from './sms-delivery.listener';
import { SmsModule } from './sms.module';

/**
 * The worker's delivery listener, which settles messages as their SMS jobs end and sends the
 * reports: it stands on messages' API and on SmsModule's jobs, and messages on neither of it.
 */
@Module({
  imports: [MessagesModule.sendingSmsWith(SmsModule), SmsModule],
  providers: [SmsDeliveryListener],
})
export class SmsDeliveryModule {}
