import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Message } from './message.entity';
import { MessageEvent } from './message-event.entity';
import { DeliveryAttemptLog } from './delivery-attempt-log';
import { MessageDeliveryJobs } from './message-delivery-jobs';
import { MessageDeliveryListener } from './message-delivery.listener';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

/** The outbox: billing's messages, their delivery jobs, and how attempts update them. */
@Module({
  imports: [TypeOrmModule.forFeature([Message, MessageEvent])],
  controllers: [MessagesController],
  providers: [MessagesService, MessagesRepository, DeliveryAttemptLog, MessageDeliveryJobs, MessageDeliveryListener],
  exports: [MessagesService, MessageDeliveryJobs, MessageDeliveryListener],
})
export class MessagesModule {}
