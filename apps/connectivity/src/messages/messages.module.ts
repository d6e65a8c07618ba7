import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Message } from './message.entity';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { SmsModule } from '../sms/sms.module';
import { SmsDeliveryListener } from '../sms/sms-delivery.listener';

@Module({
  imports: [TypeOrmModule.forFeature([Message]), SmsModule],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService, SmsDeliveryListener],
  exports: [MessagesService],
})
export class MessagesModule {}
