// What the messages feature offers the rest of connectivity. Another feature imports these from
// here, never a file of this folder: the rest may change without telling anyone.
export { MessagesModule } from './messages.module';
export { MessagesService } from './messages.service';
export type { Reception } from './messages.service';
export { Message } from './message.entity';
export type { MessageStatus } from './message.entity';
export type { ReportOutcome } from './messages.repository';
export { SMS_JOBS } from './sms-jobs';
export type { SmsJobs } from './sms-jobs';
