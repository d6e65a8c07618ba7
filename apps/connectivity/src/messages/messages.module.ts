import { DynamicModule, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Message } from './message.entity';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

// Nest tells dynamic modules apart by reference: every importer must get the same object, or
// the app would hold two MessagesModules and declare their routes twice.
const sendingSmsWith = new Map<Type, DynamicModule>();

/** Receiving, storing and showing the messages connectivity is asked to send. */
@Module({})
export class MessagesModule {
  /**
   * Messages, queueing each accepted one's SMS with the SmsJobs that `sms` exports under SMS_JOBS.
   * The module comes as an argument, not an import, because the sms feature depends on this one.
   * The same `sms` gives the same module, wherever it is imported.
   */
  static sendingSmsWith(sms: Type): DynamicModule {
    const module = sendingSmsWith.get(sms) ?? {
      module: MessagesModule,
      imports: [TypeOrmModule.forFeature([Message]), sms],
      controllers: [MessagesController],
      providers: [MessagesRepository, MessagesService],
      exports: [MessagesService],
    };
    sendingSmsWith.set(sms, module);
    return module;
  }
}
