import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages';
import { SmsModule } from './sms.module';
import { UnsentSmsSweeper } from './unsent-sms.sweeper';

/** Runs the SMS sweep; only in processes that send SMS (APP_ROLE worker or all). */
@Module({
  imports: [MessagesModule.sendingSmsWith(SmsModule), SmsModule],
  providers: [UnsentSmsSweeper],
  exports: [UnsentSmsSweeper],
})
export class UnsentSmsSweepModule {}
