import { Module } from '@nestjs/common';
import { MessagesModule } from './messages.module';
import { PendingMessageSweeper } from './pending-message.sweeper';

/** Runs the outbox sweep; kept apart from MessagesModule, which the messaging module itself imports. */
@Module({
  imports: [MessagesModule],
  providers: [PendingMessageSweeper],
  exports: [PendingMessageSweeper],
})
export class PendingMessageSweepModule {}
