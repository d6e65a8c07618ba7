// What the messages feature (the outbox) offers the rest of billing. Another feature imports these
// from here, never a file of this folder: the rest may change without telling anyone.
export { MessagesModule } from './messages.module';
export { MessagesService } from './messages.service';
export { MessageDeliveryJobs } from './message-delivery-jobs';
export { Message } from './message.entity';
export type { MessageStatus } from './message.entity';
export type { OutboxEntry } from './outbox-entry';
export { messageView } from './message.view';
export { messageEventView } from './message-event.entity';
