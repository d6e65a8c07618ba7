import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages';
import { SmsModule } from './sms.module';
import { UnacknowledgedReportSweeper } from './unacknowledged-report.sweeper';
import { UnsentSmsSweeper } from './unsent-sms.sweeper';

/** Runs the SMS sweep and the report sweep; only in processes that send (APP_ROLE worker or all). */
@Module({
  imports: [MessagesModule.sendingSmsWith(SmsModule), SmsModule],
  providers: [UnsentSmsSweeper, UnacknowledgedReportSweeper],
  exports: [UnsentSmsSweeper, UnacknowledgedReportSweeper],
})
export class UnsentSmsSweepModule {}
